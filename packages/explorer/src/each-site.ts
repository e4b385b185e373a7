import { Bucket } from './bucket.js';
import { bucketKey } from './bucket-key.js';
import { coverageBit } from './coverage-bitmap.js';
import { KeyShape } from './key-shape.js';
import type { BucketKeys } from './types.js';

export const MAX_EACH_BUCKETS = 256;
/** Key orders cached per site; a site using more falls back to sorting for the extra ones. */
const MAX_SHAPES = 8;

/** The buckets of one `assertSometimesEach` message. */
export class EachSite {
  readonly buckets = new Map<string, Bucket>();
  /** Set once a bucket was dropped (and warned about). */
  full = false;
  private readonly shapes: KeyShape[] = [];

  constructor(private readonly mark: string) {}

  /** The bucket of `keys`, or, when there is none yet, its key (sorted JSON). */
  lookup(keys: BucketKeys): Bucket | string {
    const shapes = this.shapes;
    for (let s = 0; s < shapes.length; s++) {
      const shape = shapes[s] as KeyShape;
      const hit = shape.find(keys);
      if (hit === null) continue;
      return hit ?? this.slowLookup(keys, shape);
    }
    return this.slowLookup(keys, null);
  }

  /** Creates the bucket `key` (from `lookup`) for `keys`. */
  add(keys: BucketKeys, key: string): Bucket {
    const bucket = new Bucket(key, coverageBit(this.mark, key));
    this.buckets.set(key, bucket);
    this.remember(keys, bucket, null);
    return bucket;
  }

  private slowLookup(keys: BucketKeys, shape: KeyShape | null): Bucket | string {
    const key = bucketKey(keys);
    const bucket = this.buckets.get(key);
    if (bucket === undefined) return key;
    this.remember(keys, bucket, shape);
    return bucket;
  }

  /** Caches `keys -> bucket` in the trie of their shape, making the shape if there is room. */
  private remember(keys: BucketKeys, bucket: Bucket, shape: KeyShape | null): void {
    if (shape === null) {
      for (const s of this.shapes) if (s.find(keys) !== null) shape = s;
    }
    if (shape === null) {
      if (this.shapes.length >= MAX_SHAPES) return;
      const names = Object.keys(keys);
      if (names.length === 0) return;
      const candidate = new KeyShape(names);
      // Values the trie cannot hold (or inherited names) keep this order on the JSON path.
      if (candidate.find(keys) === null) return;
      this.shapes.push(candidate);
      shape = candidate;
    }
    shape.add(keys, bucket);
  }
}
