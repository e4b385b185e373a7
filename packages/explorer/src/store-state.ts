import type { AssertionKind, BucketQuality, IntValue, NumericCmp } from './types.js';

/**
 * An assertion store's state as plain, structured-cloneable data: what a worker thread loads so it
 * judges a batch's timelines exactly as the main thread would (against the batch-start state).
 */
export interface StoreState {
  readonly slots: readonly SlotState[];
  readonly warnings: readonly string[];
}

/**
 * How a store's base (`exportBase`) changed since an earlier version of it (`exportBaseSince`): the
 * slots whose base changed, whole, so a thread's store is brought up to date in proportion to what
 * changed, not to the store.
 */
export interface BaseChange {
  /** The base version it brings a store to (`AssertionStore.baseVersion`). */
  readonly version: number;
  /** Replace everything (the receiver has no base yet, or the sender was reset) rather than update. */
  readonly full: boolean;
  /** The slots whose base changed (all of them when `full`), in the sender's order. */
  readonly slots: readonly SlotState[];
  /** All the warnings, when they changed (always when `full`); null when they did not. */
  readonly warnings: readonly string[] | null;
}

/**
 * What timelines changed on a store loaded with a batch's start state: the assertions they reached
 * with their count increases, and of their buckets those hit (with their own hits). Deltas add up
 * in any order (see `DeltaSum`), so a thread sends one per batch.
 */
export interface StoreDelta {
  readonly slots: readonly SlotState[];
}

/** Something a timeline created first: the ledger creates it in the same order. */
export type Creation =
  | { readonly kind: 'slot'; readonly msg: string; readonly slotKind: AssertionKind; readonly cmp?: NumericCmp }
  | { readonly kind: 'bucket'; readonly msg: string; readonly key: string; readonly bit: number }
  | { readonly kind: 'condition'; readonly msg: string; readonly name: string };

/**
 * What a timeline's merge must see one timeline at a time, in the batch's order: what it created,
 * what it discovered, the warnings it raised. Most timelines have none of it.
 */
export interface TimelineNews {
  readonly created: readonly Creation[];
  readonly discoveries: readonly Discovery[];
  readonly warnings: readonly string[];
}

export interface SlotState {
  readonly msg: string;
  readonly kind: AssertionKind;
  readonly cmp?: NumericCmp;
  readonly pass: number;
  readonly fail: number;
  readonly triggered: boolean;
  readonly watermark?: IntValue;
  readonly frontier: number;
  readonly conditions?: readonly (readonly [string, boolean])[];
  readonly buckets?: readonly BucketState[];
  readonly full?: boolean;
}

export interface BucketState {
  readonly key: string;
  readonly bit: number;
  readonly hits: number;
  readonly qualityNames: readonly string[];
  readonly quality: readonly number[] | null;
}

/**
 * A discovery made by a timeline (one per splitpoint, in order), with what decided it, so the main
 * thread can judge it again when merging: a discovery that an earlier timeline of the same batch
 * already made is no splitpoint any more.
 */
export type Discovery =
  | { readonly kind: 'trigger'; readonly msg: string }
  | { readonly kind: 'watermark'; readonly msg: string; readonly value: IntValue }
  | { readonly kind: 'frontier'; readonly msg: string; readonly value: number }
  | {
      readonly kind: 'bucket';
      readonly msg: string;
      readonly key: string;
      /** The bucket was new, or hit for the first time since the seed began. */
      readonly first: boolean;
      readonly quality?: BucketQuality;
    };
