// Shared set-up of the store-state tests: a store that used every kind of assertion, and timelines
// run on worker-like stores whose deltas and news merge into a ledger.
import assert from 'node:assert/strict';
import {
  type AssertionResult,
  AssertionStore,
  DeltaSum,
  type StoreDelta,
  type StoreState,
  type TimelineNews,
} from '../../src/index.js';
import type { SlotState } from '../../src/store-state.js';

export function result(store: AssertionStore, msg: string): AssertionResult {
  const r = store.results().find((x) => x.msg === msg);
  assert.ok(r, `no result for ${msg}`);
  return r;
}

export function tracked(): { store: AssertionStore; marks: string[] } {
  const store = new AssertionStore();
  const marks: string[] = [];
  store.onDiscovery = (mark, bucket) => marks.push(bucket === undefined ? mark : `${mark} ${bucket}`);
  return { store, marks };
}

/** A store that used every kind of assertion (and warned once). */
export function populated(): AssertionStore {
  const store = new AssertionStore();
  store.recordBool('Always', true, 'always');
  store.recordBool('Always', false, 'always');
  store.recordBool('AlwaysOrUnreachable', true, 'always-or-unreachable');
  store.recordBool('Sometimes', false, 'sometimes-false');
  store.recordBool('Sometimes', true, 'sometimes');
  store.recordReachable('reachable');
  store.recordUnreachable('unreachable');
  store.recordNumeric('NumericAlways', 'lt', 3, 10, 'numeric-always');
  store.recordNumeric('NumericSometimes', 'gt', 5, 100, 'numeric-gt');
  store.recordNumeric('NumericSometimes', 'gt', 7, 100, 'numeric-gt');
  store.recordNumeric('NumericSometimes', 'le', 10n, 0n, 'numeric-le-big');
  store.recordSometimesAll('all', { a: true, b: false });
  store.recordSometimesAll('all', { a: false, c: true, b: false });
  store.recordEach('each', { room: 'a', floor: 1 }, { hp: 3, gold: 1 });
  store.recordEach('each', { floor: 1, room: 'a' }, { hp: 2, gold: 9 });
  store.recordEach('each', { room: 'b', floor: 2 });
  store.recordEach('each', { room: 'b', floor: 2 });
  // A kind clash: warned, the later use ignored.
  store.recordBool('Sometimes', true, 'always');
  return store;
}

export const EMPTY: StoreState = { slots: [], warnings: [] };

/** What a worker sends back for one timeline: its delta (summed with others) and its news. */
export interface Ran {
  delta: StoreDelta;
  news: TimelineNews;
}

/** Runs `timeline` on `runner` loaded with `base` (a batch's start state). */
export function runTimeline(runner: AssertionStore, base: StoreState, timeline: (s: AssertionStore) => void): Ran {
  runner.importState(base);
  timeline(runner);
  return { delta: runner.exportDelta(), news: runner.timelineNews() };
}

/**
 * The deltas of `ran` added up in `DeltaSum`s, one per group of indices (as threads would, each
 * summing the timelines it ran); by default one sum of them all.
 */
export function sums(
  ran: readonly Ran[],
  groups: readonly (readonly number[])[] = [ran.map((_, i) => i)],
): StoreDelta[] {
  return groups.map((group) => {
    const sum = new DeltaSum();
    for (const i of group) sum.add((ran[i] as Ran).delta);
    return sum.take();
  });
}

/** Merges a batch into `ledger`: the timelines' news in order, their deltas in one sum. */
export function mergeAll(ledger: AssertionStore, ran: readonly Ran[]): boolean[][] {
  return ledger.mergeBatch(ran.map((r) => r.news), sums(ran));
}

/** A ledger store holding `state` (a full `exportState`). */
export function ledgerWith(state: StoreState): AssertionStore {
  const ledger = new AssertionStore();
  ledger.importState(state);
  return ledger;
}

/** `state` as `exportBase` should give it: no counts, bucket hits 0 or 1. */
export function baseOf(state: StoreState): StoreState {
  const slot = (s: SlotState): SlotState => {
    const base: SlotState = { ...s, pass: 0, fail: 0 };
    return s.buckets === undefined
      ? base
      : { ...base, buckets: s.buckets.map((b) => ({ ...b, hits: Math.min(b.hits, 1) })) };
  };
  return { slots: state.slots.map(slot), warnings: state.warnings };
}
