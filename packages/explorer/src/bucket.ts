import type { BucketState } from './store-state.js';
import type { BucketQuality, BucketSummary } from './types.js';

/** One combination of identity keys of an each-assertion. */
export class Bucket {
  hits = 0;
  qualityNames: string[] = [];
  /** Best quality so far, in `qualityNames` order; null until a quality is given. */
  quality: number[] | null = null;
  /**
   * What a lookup of its keys yields: the bucket itself while live, its key while dropped by a reload
   * of its store (see `EachSite`). One field read either way: the optimised lookup then has nothing
   * left to learn when it first meets a dropped bucket.
   */
  found: Bucket | string = this;
  /** `hits` when its store was loaded: a timeline's own hits are the difference. */
  loadedHits = 0;
  /** Its best quality when its store was loaded (`restoreLoaded` puts it back). */
  private loadedQualityNames: string[] = [];
  private loadedQuality: number[] | null = null;
  /** Part of the loaded state (else made since the load: `restoreLoaded` drops it). */
  inBase = false;
  /** Hit since the load (it is in its site's list of touched buckets). */
  touched = false;

  constructor(
    readonly key: string,
    /** Its coverage-bitmap bit, hashed once. */
    readonly bit: number,
  ) {}

  /** False while dropped by a reload of its store (see `EachSite`). */
  get live(): boolean {
    return this.found === this;
  }

  set live(live: boolean) {
    this.found = live ? this : this.key;
  }

  /** Whether `quality` beats the best so far (lexicographic by position); updates it if so. */
  improve(quality: BucketQuality): boolean {
    if (!qualityImproves(quality, this.quality)) return false;
    const names = Object.keys(quality);
    this.qualityNames = names;
    this.quality = names.map((n) => quality[n] as number);
    return true;
  }

  /** Makes it live and empty. */
  revive(): void {
    this.live = true;
    this.hits = 0;
    this.loadedHits = 0;
    this.qualityNames = [];
    this.quality = null;
    this.inBase = false;
  }

  /** Takes the hits and best quality of a loaded state (the arrays are copied: the state is the caller's). */
  load(state: BucketState): void {
    this.hits = this.loadedHits = state.hits;
    this.qualityNames = this.loadedQualityNames = [...state.qualityNames];
    this.quality = this.loadedQuality = state.quality === null ? null : [...state.quality];
    this.inBase = true;
  }

  /** Back to its loaded hits and quality (`improve` replaces the arrays, never changes them). */
  restore(): void {
    this.hits = this.loadedHits;
    this.qualityNames = this.loadedQualityNames;
    this.quality = this.loadedQuality;
  }

  /** Takes `other`'s best quality if it is better (merging a timeline run on another store). */
  improveFrom(other: BucketState): boolean {
    const best = other.quality;
    if (best === null) return false;
    const quality: Record<string, number> = {};
    other.qualityNames.forEach((name, i) => (quality[name] = best[i] as number));
    return this.improve(quality);
  }

  /** Its state with `hits` given (all of them, or a timeline's own). */
  toState(hits: number): BucketState {
    return { key: this.key, bit: this.bit, hits, qualityNames: this.qualityNames, quality: this.quality };
  }

  summary(): BucketSummary {
    const s: BucketSummary = { key: this.key, hits: this.hits };
    const best = this.quality;
    if (best !== null) s.quality = Object.fromEntries(this.qualityNames.map((n, i) => [n, best[i] as number]));
    return s;
  }
}

/** Compares without allocating: this runs on every hit of a bucket with a quality. */
function qualityImproves(quality: BucketQuality, best: readonly number[] | null): boolean {
  let i = 0;
  for (const name in quality) {
    if (!Object.hasOwn(quality, name)) continue;
    if (best === null) return true;
    const x = quality[name] as number;
    const y = best[i++] ?? Number.NEGATIVE_INFINITY;
    if (x !== y) return x > y;
  }
  return false;
}
