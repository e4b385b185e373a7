import { Bucket } from './bucket.js';
import { bucketKey } from './bucket-key.js';
import { coverageBit } from './coverage-bitmap.js';
import { KeyShape } from './key-shape.js';
import type { BucketKeys } from './types.js';

export const MAX_EACH_BUCKETS = 256;
/** Key orders cached per site; a site using more falls back to sorting for the extra ones. */
const MAX_SHAPES = 8;
/**
 * Bucket objects kept per site across reloads (live or not): enough for every bucket a site may
 * hold, bounded against endless keys.
 */
const MAX_KNOWN = 4 * MAX_EACH_BUCKETS;

/** The buckets of one `assertSometimesEach` message. */
export class EachSite {
  /** The live buckets, in creation order. */
  readonly buckets = new Map<string, Bucket>();
  /** Set once a bucket was dropped (and warned about). */
  full = false;
  /** `full` when its store was loaded. */
  loadedFull = false;
  /** Buckets hit or made since the load, each once: what a delta and a restore visit. */
  readonly touched: Bucket[] = [];
  private readonly shapes: KeyShape[] = [];
  /**
   * Every bucket object made here, live or not. The key caches point to these, so they stay valid when
   * a worker's store is reloaded for each timeline: a reload only flips buckets live or dead.
   */
  private readonly known = new Map<string, Bucket>();

  constructor(private readonly mark: string) {}

  /** The live bucket of `keys`, or, when there is none, its key (sorted JSON). */
  lookup(keys: BucketKeys): Bucket | string {
    const shapes = this.shapes;
    for (let s = 0; s < shapes.length; s++) {
      const shape = shapes[s] as KeyShape;
      const hit = shape.find(keys);
      if (hit === null) continue;
      if (hit === undefined) return this.slowLookup(keys, shape);
      return hit.found;
    }
    return this.slowLookup(keys, null);
  }

  /** Makes bucket `key` live and empty; `keys` (when given) lets its key order find it fast. */
  add(key: string, keys: BucketKeys | null, bit?: number): Bucket {
    let bucket = this.known.get(key);
    if (bucket === undefined) {
      bucket = new Bucket(key, bit ?? coverageBit(this.mark, key));
      if (this.known.size < MAX_KNOWN) this.known.set(key, bucket);
    }
    bucket.revive();
    this.buckets.set(key, bucket);
    if (keys !== null) this.remember(keys, bucket, null);
    return bucket;
  }

  /** Drops every bucket (a reload follows): their objects stay known, dead. */
  clear(): void {
    for (const bucket of this.buckets.values()) bucket.live = false;
    this.buckets.clear();
    this.full = false;
    this.forgetTouched();
  }

  /** Notes that `bucket` was hit (or made) since the load. */
  touch(bucket: Bucket): void {
    if (bucket.touched) return;
    bucket.touched = true;
    // An indexed store, not `push`: a new site's list starts as an array of small integers, and
    // the optimised `push` of a hit, knowing only such lists, deoptimises at the first bucket
    // stored in one (a store learns the change of kind instead).
    this.touched[this.touched.length] = bucket;
  }

  /** Back to the loaded state: touched buckets get their loaded hits and quality, buckets made since die. */
  restore(): void {
    for (const bucket of this.touched) {
      if (bucket.inBase) bucket.restore();
      else {
        bucket.live = false;
        this.buckets.delete(bucket.key);
      }
    }
    this.forgetTouched();
    this.full = this.loadedFull;
  }

  /** Clears the touched marks (a load or restore of its store follows). */
  forgetTouched(): void {
    for (const bucket of this.touched) bucket.touched = false;
    this.touched.length = 0;
  }

  private slowLookup(keys: BucketKeys, shape: KeyShape | null): Bucket | string {
    const key = bucketKey(keys);
    // A live bucket made when `known` was full is only in `buckets`.
    const bucket = this.buckets.get(key) ?? this.known.get(key);
    if (bucket === undefined) return key;
    this.remember(keys, bucket, shape);
    return bucket.live ? bucket : key;
  }

  /** Caches `keys -> bucket` in the trie of their key order, making one if there is room. */
  private remember(keys: BucketKeys, bucket: Bucket, shape: KeyShape | null): void {
    // Only known buckets: a trie entry must be the object a reload flips.
    if (this.known.get(bucket.key) !== bucket) return;
    if (shape === null) {
      for (const s of this.shapes) if (s.find(keys) !== null) shape = s;
    }
    if (shape === null) {
      if (this.shapes.length >= MAX_SHAPES) return;
      // Keys the trie cannot hold keep this order on the JSON path.
      shape = KeyShape.of(keys);
      if (shape === null) return;
      this.shapes.push(shape);
    }
    shape.add(keys, bucket);
  }
}
