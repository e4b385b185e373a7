import type { Bucket } from './bucket.js';
import type { BucketKeys } from './types.js';

/** A value as a trie key: equal trie keys exactly when `JSON.stringify` writes the values alike. */
type TrieValue = string | number | boolean | null;

const hasOwnProperty = Object.prototype.hasOwnProperty;

/** Non-negative integers below this index an array: most keys are small ids, and hashing them cost most of a lookup. */
const SMALL = 64;

/** One level of the trie: its children by value. */
class Trie {
  /**
   * Children by small values. Made holey (`new Array(0)`), so that filled, every level's array has the
   * same elements kind: the optimised lookup meets one map, not three (empty, packed, holey).
   */
  readonly small = new Array<Trie | Bucket | undefined>(0);
  /** Children by any other value. */
  readonly other = new Map<TrieValue, Trie | Bucket>();

  get(v: TrieValue): Trie | Bucket | undefined {
    return isSmall(v) ? this.small[v] : this.other.get(v);
  }

  set(v: TrieValue, child: Trie | Bucket): void {
    if (isSmall(v)) this.small[v] = child;
    else this.other.set(v, child);
  }
}

/** Whether `v` is an array index below `SMALL` (-0 included: it indexes as 0, as a map merges it with 0). */
function isSmall(v: TrieValue): v is number {
  return typeof v === 'number' && (v | 0) === v && v >= 0 && v < SMALL;
}

/**
 * The buckets reached through one order of key names, as a trie over their values. A call site
 * passes its keys in the same order every time, so this finds the bucket with no sort, no string
 * building and no allocation.
 */
export class KeyShape {
  private readonly root = new Trie();

  private constructor(readonly names: readonly string[]) {}

  /**
   * The shape of `keys`' order, or null when the trie cannot hold them (no keys, inherited names, a
   * value only the JSON path handles). Checked here, not by `find` on the empty trie: an empty level's
   * array has a map of its own, and meeting it would throw away the optimised `find`.
   */
  static of(keys: BucketKeys): KeyShape | null {
    const names: string[] = [];
    for (const name in keys) {
      if (!Object.hasOwn(keys, name) || trieValue(keys[name]) === undefined) return null;
      names.push(name);
    }
    return names.length === 0 ? null : new KeyShape(names);
  }

  /**
   * The bucket of `keys`; `undefined` when it is not in this trie yet; `null` when `keys` does not
   * have this shape (other names or order, or a value the trie does not take).
   */
  find(keys: BucketKeys): Bucket | undefined | null {
    const names = this.names;
    let at: Trie | Bucket | undefined = this.root;
    let i = 0;
    // for-in (not Object.keys) to allocate nothing. It also lists inherited names, which JSON leaves
    // out: one must miss, even where a shape has that name (`hasOwnProperty` of the for-in's own key
    // costs V8 next to nothing; `Object.hasOwn` is not optimised so).
    for (const name in keys) {
      if (names[i++] !== name || !hasOwnProperty.call(keys, name)) return null;
      const v = keys[name];
      // `isSmall` written out (no call): this runs for most keys of every bucket hit, and a short body
      // is cheap to run before V8 optimises it and cheap to optimise.
      if (typeof v === 'number' && (v | 0) === v && v >= 0 && v < SMALL) {
        if (at !== undefined) at = (at as Trie).small[v];
        continue;
      }
      const value = trieValue(v);
      if (value === undefined) return null;
      if (at !== undefined) at = (at as Trie).other.get(value);
    }
    return i === names.length ? (at as Bucket | undefined) : null;
  }

  /** Files `bucket` under `keys`, which `find` has accepted. */
  add(keys: BucketKeys, bucket: Bucket): void {
    let node = this.root;
    const last = this.names.length - 1;
    for (let i = 0; i < last; i++) {
      const v = trieValue(keys[this.names[i] as string]) as TrieValue;
      let next = node.get(v) as Trie | undefined;
      if (next === undefined) {
        next = new Trie();
        node.set(v, next);
      }
      node = next;
    }
    node.set(trieValue(keys[this.names[last] as string]) as TrieValue, bucket);
  }
}

/** `undefined` for values only the JSON path handles (objects, bigint, undefined). */
function trieValue(v: unknown): TrieValue | undefined {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      // JSON writes NaN and the infinities as null; Map already merges 0 and -0, as JSON does.
      return Number.isFinite(v) ? v : null;
    default:
      return v === null ? null : undefined;
  }
}
