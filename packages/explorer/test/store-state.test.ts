// The assertion store as plain data: export/import of the whole state and of a batch's base, a
// timeline's delta and news, delta sums, and the ledger merge of sibling timelines (what parallel
// exploration is built on).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Discovery, SlotState } from '../src/store-state.js';
import {
  type AssertionResult,
  AssertionStore,
  coverageBit,
  DeltaSum,
  MAX_EACH_BUCKETS,
  type StoreDelta,
  type StoreState,
  type TimelineNews,
} from '../src/index.js';

function result(store: AssertionStore, msg: string): AssertionResult {
  const r = store.results().find((x) => x.msg === msg);
  assert.ok(r, `no result for ${msg}`);
  return r;
}

function tracked(): { store: AssertionStore; marks: string[] } {
  const store = new AssertionStore();
  const marks: string[] = [];
  store.onDiscovery = (mark, bucket) => marks.push(bucket === undefined ? mark : `${mark} ${bucket}`);
  return { store, marks };
}

/** A store that used every kind of assertion (and warned once). */
function populated(): AssertionStore {
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

const EMPTY: StoreState = { slots: [], warnings: [] };

/** What a worker sends back for one timeline: its delta (summed with others) and its news. */
interface Ran {
  delta: StoreDelta;
  news: TimelineNews;
}

/** Runs `timeline` on `runner` loaded with `base` (a batch's start state). */
function runTimeline(runner: AssertionStore, base: StoreState, timeline: (s: AssertionStore) => void): Ran {
  runner.importState(base);
  timeline(runner);
  return { delta: runner.exportDelta(), news: runner.timelineNews() };
}

/**
 * The deltas of `ran` added up in `DeltaSum`s, one per group of indices (as threads would, each
 * summing the timelines it ran); by default one sum of them all.
 */
function sums(ran: readonly Ran[], groups: readonly (readonly number[])[] = [ran.map((_, i) => i)]): StoreDelta[] {
  return groups.map((group) => {
    const sum = new DeltaSum();
    for (const i of group) sum.add((ran[i] as Ran).delta);
    return sum.take();
  });
}

/** Merges a batch into `ledger`: the timelines' news in order, their deltas in one sum. */
function mergeAll(ledger: AssertionStore, ran: readonly Ran[]): boolean[][] {
  return ledger.mergeBatch(ran.map((r) => r.news), sums(ran));
}

/** A ledger store holding `state` (a full `exportState`). */
function ledgerWith(state: StoreState): AssertionStore {
  const ledger = new AssertionStore();
  ledger.importState(state);
  return ledger;
}

/** `state` as `exportBase` should give it: no counts, bucket hits 0 or 1. */
function baseOf(state: StoreState): StoreState {
  const slot = (s: SlotState): SlotState => {
    const base: SlotState = { ...s, pass: 0, fail: 0 };
    return s.buckets === undefined
      ? base
      : { ...base, buckets: s.buckets.map((b) => ({ ...b, hits: Math.min(b.hits, 1) })) };
  };
  return { slots: state.slots.map(slot), warnings: state.warnings };
}

describe('AssertionStore.exportState / importState', () => {
  it('round-trips the whole state into a fresh store', () => {
    const store = populated();
    const state = store.exportState();
    // Plain data: it survives structured cloning (what postMessage does).
    const cloned = structuredClone(state);
    const fresh = new AssertionStore();
    fresh.importState(cloned);
    assert.deepEqual(fresh.exportState(), state);
    assert.deepEqual(fresh.results(), store.results());
    assert.deepEqual(fresh.warnings(), store.warnings());
    assert.equal(fresh.warnings().length, 1);
    // Spot checks that the state is the real one, not an empty round trip.
    assert.deepEqual(
      [result(fresh, 'always').passCount, result(fresh, 'always').failCount, result(fresh, 'always').status],
      [1, 1, 'fail'],
    );
    assert.equal(result(fresh, 'numeric-gt').watermark, 7);
    assert.equal(result(fresh, 'numeric-le-big').watermark, 10n);
    assert.equal(result(fresh, 'all').frontier, 1);
    assert.deepEqual(result(fresh, 'all').conditions, [
      { name: 'a', seenTrue: true },
      { name: 'b', seenTrue: false },
      { name: 'c', seenTrue: true },
    ]);
    assert.deepEqual(result(fresh, 'each').buckets, [
      { key: '{"floor":1,"room":"a"}', hits: 2, quality: { hp: 3, gold: 1 } },
      { key: '{"floor":2,"room":"b"}', hits: 2 },
    ]);
  });

  it('loaded state judges discoveries: triggered, watermarks, frontiers and buckets do not split again', () => {
    const state = populated().exportState();
    const { store, marks } = tracked();
    store.importState(state);
    store.recordBool('Sometimes', true, 'sometimes');
    store.recordReachable('reachable');
    store.recordNumeric('NumericSometimes', 'gt', 7, 100, 'numeric-gt');
    store.recordSometimesAll('all', { a: true, b: false, c: false });
    store.recordEach('each', { room: 'a', floor: 1 }, { hp: 3, gold: 0 });
    store.recordEach('each', { room: 'b', floor: 2 });
    assert.deepEqual(marks, []);
    assert.deepEqual(store.timelineNews().discoveries, []);
    // Improvements still split.
    store.recordNumeric('NumericSometimes', 'gt', 8, 100, 'numeric-gt');
    store.recordSometimesAll('all', { a: true, b: false, c: true });
    store.recordEach('each', { room: 'a', floor: 1 }, { hp: 3, gold: 2 });
    store.recordBool('Sometimes', true, 'sometimes-false');
    assert.deepEqual(store.timelineNews().discoveries, [
      { kind: 'watermark', msg: 'numeric-gt', value: 8 },
      { kind: 'frontier', msg: 'all', value: 2 },
      { kind: 'bucket', msg: 'each', key: '{"floor":1,"room":"a"}', first: false, quality: { hp: 3, gold: 2 } },
      { kind: 'trigger', msg: 'sometimes-false' },
    ]);
  });

  it('replaces everything: assertions absent from the state are gone, and so are earlier warnings', () => {
    const store = populated();
    const small = new AssertionStore();
    small.recordBool('Sometimes', true, 'only');
    store.importState(small.exportState());
    assert.deepEqual(store.results().map((r) => r.msg), ['only']);
    assert.deepEqual(store.warnings(), []);
    // A message used before with another kind is a fresh assertion now: no clash warning.
    store.recordNumeric('NumericSometimes', 'ge', 1, 0, 'always');
    assert.deepEqual(store.warnings(), []);
    assert.equal(result(store, 'always').kind, 'NumericSometimes');
  });
});

describe('AssertionStore.exportBase', () => {
  it('is the full state without counts: pass and fail 0, bucket hits clamped to 0 or 1', () => {
    const store = populated();
    store.recordEach('each', { room: 'b', floor: 2 });
    const state = store.exportState();
    const base = store.exportBase();
    // The clamping and zeroing are exercised: there are counts, and a bucket hit more than once.
    assert.ok(state.slots.some((s) => s.pass > 1) && state.slots.some((s) => s.fail > 0));
    assert.ok(state.slots.some((s) => s.buckets?.some((b) => b.hits > 1)));
    for (const s of base.slots) {
      assert.deepEqual([s.msg, s.pass, s.fail], [s.msg, 0, 0]);
      for (const b of s.buckets ?? []) assert.ok(b.hits <= 1, `${s.msg} ${b.key}: ${b.hits} hits`);
    }
    // Everything else (triggers, watermarks, frontiers, conditions, qualities, warnings) as exported.
    assert.deepEqual(base, baseOf(state));
    assert.equal(base.warnings.length, 1);
    assert.deepEqual(structuredClone(base), base);
    // Loaded and exported again, it is unchanged.
    assert.deepEqual(ledgerWith(base).exportBase(), base);
  });

  it('after prepareNextSeed: buckets not hit since are 0, those hit again 1, counts still 0', () => {
    const store = new AssertionStore();
    store.recordEach('e', { k: 'old' });
    store.recordEach('e', { k: 'old' });
    store.recordEach('e', { k: 'again' }, { q: 2 });
    store.recordBool('Sometimes', true, 's');
    store.prepareNextSeed();
    store.recordEach('e', { k: 'again' });
    store.recordEach('e', { k: 'again' });
    store.recordBool('Always', false, 'a');
    const base = store.exportBase();
    assert.deepEqual(base.slots.map((s) => [s.msg, s.pass, s.fail, s.triggered]), [
      ['e', 0, 0, false],
      ['s', 0, 0, false],
      ['a', 0, 0, false],
    ]);
    assert.deepEqual(base.slots[0]?.buckets?.map((b) => [b.key, b.hits, b.quality]), [
      ['{"k":"old"}', 0, null],
      ['{"k":"again"}', 1, [2]],
    ]);
    assert.deepEqual(base, baseOf(store.exportState()));
  });

  it('a store loaded with it judges discoveries as one loaded with the full state', () => {
    const ledger = populated();
    ledger.recordEach('each', { room: 'b', floor: 2 });
    const probes: ((s: AssertionStore) => void)[] = [
      (s) => {
        s.recordBool('Sometimes', true, 'sometimes');
        s.recordBool('Sometimes', true, 'sometimes-false');
        s.recordReachable('reachable');
      },
      (s) => {
        s.recordNumeric('NumericSometimes', 'gt', 7, 100, 'numeric-gt');
        s.recordNumeric('NumericSometimes', 'gt', 9, 100, 'numeric-gt');
        s.recordNumeric('NumericSometimes', 'le', 10n, 0n, 'numeric-le-big');
        s.recordNumeric('NumericSometimes', 'le', 9n, 0n, 'numeric-le-big');
      },
      (s) => {
        s.recordSometimesAll('all', { a: true, b: false, c: false });
        s.recordSometimesAll('all', { a: true, b: true, c: false, d: true });
      },
      (s) => {
        s.recordEach('each', { room: 'a', floor: 1 }, { hp: 3, gold: 1 });
        s.recordEach('each', { room: 'b', floor: 2 });
        s.recordEach('each', { room: 'a', floor: 1 }, { hp: 4, gold: 0 });
        s.recordEach('each', { room: 'c', floor: 3 });
        s.recordBool('Sometimes', true, 'always');
        s.recordBool('Always', true, 'new');
      },
    ];
    const fromState = new AssertionStore();
    const fromBase = new AssertionStore();
    for (const probe of probes) {
      const full = runTimeline(fromState, ledger.exportState(), probe);
      const base = runTimeline(fromBase, ledger.exportBase(), probe);
      assert.deepEqual(base.news, full.news);
      // The deltas are relative to the load: the same too.
      assert.deepEqual(base.delta, full.delta);
    }
  });
});

describe('AssertionStore.exportDelta', () => {
  it('holds only what the timeline reached: count increases and buckets hit with their own hits', () => {
    const base = populated().exportState();
    const runner = new AssertionStore();
    runner.importState(base);
    assert.deepEqual(runner.exportDelta(), { slots: [] }, 'nothing reached yet');
    runner.recordBool('Always', true, 'always');
    runner.recordBool('Always', true, 'always');
    runner.recordBool('Always', false, 'always');
    runner.recordEach('each', { room: 'b', floor: 2 });
    runner.recordEach('each', { room: 'c', floor: 3 }, { hp: 1 });
    runner.recordEach('each', { room: 'c', floor: 3 });
    runner.recordBool('Sometimes', true, 'new-sometimes');
    // The base's warning again (not new) and a new one.
    runner.recordBool('Sometimes', true, 'always');
    runner.recordReachable('numeric-gt');
    const delta = runner.exportDelta();
    assert.deepEqual(Object.keys(delta), ['slots'], 'warnings are in the news, not in the delta');
    assert.deepEqual(delta.slots.map((s) => s.msg), ['always', 'each', 'new-sometimes']);
    const always = delta.slots[0];
    assert.deepEqual([always?.pass, always?.fail], [2, 1], 'increases, not the totals 3 and 2');
    const each = delta.slots[1];
    assert.equal(each?.pass, 3);
    // Bucket a (not hit) is absent; b has its own hit only; c is new.
    assert.deepEqual(
      each?.buckets?.map((b) => [b.key, b.hits, b.quality]),
      [['{"floor":2,"room":"b"}', 1, null], ['{"floor":3,"room":"c"}', 2, [1]]],
    );
    const fresh = delta.slots[2];
    assert.deepEqual([fresh?.kind, fresh?.pass, fresh?.fail, fresh?.triggered], ['Sometimes', 1, 0, true]);
    const warnings = runner.timelineNews().warnings;
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] as string, /"numeric-gt"/);
    // The store itself keeps the totals.
    assert.deepEqual([result(runner, 'always').passCount, result(runner, 'always').failCount], [3, 2]);
  });

  it('is relative to the latest importState', () => {
    const runner = new AssertionStore();
    const base = populated().exportState();
    runner.importState(base);
    runner.recordBool('Always', true, 'always');
    runner.recordEach('each', { room: 'z', floor: 9 });
    runner.recordBool('Sometimes', true, 'fresh');
    runner.recordReachable('always');
    runner.importState(base);
    assert.deepEqual(runner.exportDelta(), { slots: [] });
    assert.deepEqual(runner.timelineNews(), { created: [], discoveries: [], warnings: [] });
    runner.recordBool('Always', true, 'always');
    const [slot] = runner.exportDelta().slots;
    assert.deepEqual([slot?.msg, slot?.pass], ['always', 1]);
  });
});

describe('AssertionStore.timelineNews', () => {
  it('lists what the timeline created first, its discoveries in order, and its own warnings', () => {
    const runner = new AssertionStore();
    runner.importState(populated().exportBase());
    runner.recordBool('Always', true, 'always');
    runner.recordBool('Always', true, 'plain');
    runner.recordNumeric('NumericSometimes', 'ge', 4, 0, 'height');
    runner.recordEach('each', { room: 'b', floor: 2 });
    runner.recordEach('each', { room: 'c', floor: 3 });
    runner.recordSometimesAll('all', { a: true, d: false, c: true });
    runner.recordSometimesAll('fresh-all', { y: true, x: false });
    runner.recordSometimesAll('fresh-all', { x: true, y: true });
    runner.recordEach('rooms', { r: 1 });
    // The base's warning (not the timeline's) and a new one.
    runner.recordBool('Sometimes', true, 'always');
    runner.recordBool('Sometimes', true, 'height');
    const c = '{"floor":3,"room":"c"}';
    assert.deepEqual(runner.timelineNews(), {
      created: [
        { kind: 'slot', msg: 'plain', slotKind: 'Always' },
        { kind: 'slot', msg: 'height', slotKind: 'NumericSometimes', cmp: 'ge' },
        { kind: 'bucket', msg: 'each', key: c, bit: coverageBit('each', c) },
        { kind: 'condition', msg: 'all', name: 'd' },
        { kind: 'slot', msg: 'fresh-all', slotKind: 'BooleanSometimesAll' },
        { kind: 'condition', msg: 'fresh-all', name: 'y' },
        { kind: 'condition', msg: 'fresh-all', name: 'x' },
        { kind: 'slot', msg: 'rooms', slotKind: 'EachBucket' },
        { kind: 'bucket', msg: 'rooms', key: '{"r":1}', bit: coverageBit('rooms', '{"r":1}') },
      ],
      discoveries: [
        { kind: 'watermark', msg: 'height', value: 4 },
        { kind: 'bucket', msg: 'each', key: c, first: true },
        { kind: 'frontier', msg: 'all', value: 2 },
        { kind: 'frontier', msg: 'fresh-all', value: 1 },
        { kind: 'frontier', msg: 'fresh-all', value: 2 },
        { kind: 'bucket', msg: 'rooms', key: '{"r":1}', first: true },
      ],
      warnings: [runner.warnings()[1]],
    });
    assert.match(runner.timelineNews().warnings[0] as string, /"height"/);
    // A new timeline (beginTimeline) starts its own news; warnings count from the import.
    runner.beginTimeline();
    assert.deepEqual(runner.timelineNews().created, []);
    assert.deepEqual(runner.timelineNews().discoveries, []);
    assert.equal(runner.timelineNews().warnings.length, 1, 'warnings are those since the import');
  });
});

describe('AssertionStore.mergeBatch: sibling timelines of one batch', () => {
  /** The ledger at the batch start (a few assertions already known), and the base its timelines load. */
  function batchStart(): { state: StoreState; base: StoreState } {
    const s = new AssertionStore();
    s.recordBool('Always', true, 'always');
    s.recordNumeric('NumericSometimes', 'gt', 10, 0, 'depth');
    s.recordNumeric('NumericSometimes', 'lt', 50, 0, 'distance');
    s.recordSometimesAll('all', { a: true, b: false, c: false });
    s.recordEach('room', { r: 'start' }, { hp: 5 });
    s.recordEach('room', { r: 'hall' }, { hp: 1 });
    return { state: s.exportState(), base: s.exportBase() };
  }

  it('counts add up, bests win, and a discovery an earlier sibling made is rejected', () => {
    const { state, base } = batchStart();
    const runner = new AssertionStore();
    const first = runTimeline(runner, base, (s) => {
      s.recordBool('Always', true, 'always');
      s.recordBool('Always', true, 'always');
      s.recordBool('Sometimes', true, 'treasure');
      s.recordNumeric('NumericSometimes', 'gt', 20, 0, 'depth');
      s.recordNumeric('NumericSometimes', 'lt', 40, 0, 'distance');
      s.recordSometimesAll('all', { a: true, b: true, c: false });
      s.recordEach('room', { r: 'vault' }, { hp: 2 });
      s.recordEach('room', { r: 'hall' }, { hp: 3 });
      s.recordEach('room', { r: 'hall' }, { hp: 4 });
    });
    const second = runTimeline(runner, base, (s) => {
      s.recordBool('Always', false, 'always');
      // The same trigger, watermark values and new bucket as the first sibling.
      s.recordBool('Sometimes', true, 'treasure');
      s.recordNumeric('NumericSometimes', 'gt', 20, 0, 'depth');
      s.recordEach('room', { r: 'vault' }, { hp: 2 });
      // Better than the first sibling: a deeper depth, a shorter distance, a better quality, a wider frontier.
      s.recordNumeric('NumericSometimes', 'gt', 25, 0, 'depth');
      s.recordNumeric('NumericSometimes', 'lt', 30, 0, 'distance');
      s.recordEach('room', { r: 'hall' }, { hp: 9 });
      s.recordSometimesAll('all', { a: true, b: true, c: true });
      // Worse than the first sibling: kept only as counts.
      s.recordEach('room', { r: 'vault' }, { hp: 1 });
    });
    // Each sibling alone made its discoveries against the batch-start state.
    assert.deepEqual(second.news.discoveries, [
      { kind: 'trigger', msg: 'treasure' },
      { kind: 'watermark', msg: 'depth', value: 20 },
      { kind: 'bucket', msg: 'room', key: '{"r":"vault"}', first: true, quality: { hp: 2 } },
      { kind: 'watermark', msg: 'depth', value: 25 },
      { kind: 'watermark', msg: 'distance', value: 30 },
      { kind: 'bucket', msg: 'room', key: '{"r":"hall"}', first: false, quality: { hp: 9 } },
      { kind: 'frontier', msg: 'all', value: 3 },
    ]);

    const ledger = ledgerWith(state);
    const [kept1, kept2] = mergeAll(ledger, [first, second]);
    assert.equal(kept1?.length, first.news.discoveries.length);
    assert.equal(kept1?.length, 7);
    assert.ok(kept1?.every((k) => k), 'the first sibling merged keeps all its discoveries');
    assert.deepEqual(kept2, [false, false, false, true, true, true, true]);

    assert.deepEqual([result(ledger, 'always').passCount, result(ledger, 'always').failCount], [3, 1]);
    assert.equal(result(ledger, 'always').status, 'fail');
    assert.equal(result(ledger, 'treasure').passCount, 2);
    assert.equal(result(ledger, 'depth').watermark, 25);
    assert.equal(result(ledger, 'depth').passCount, 1 + 1 + 2);
    assert.equal(result(ledger, 'distance').watermark, 30);
    assert.equal(result(ledger, 'all').frontier, 3);
    assert.deepEqual(result(ledger, 'all').conditions?.map((c) => c.seenTrue), [true, true, true]);
    assert.deepEqual(result(ledger, 'room').buckets, [
      { key: '{"r":"start"}', hits: 1, quality: { hp: 5 } },
      { key: '{"r":"hall"}', hits: 1 + 2 + 1, quality: { hp: 9 } },
      { key: '{"r":"vault"}', hits: 1 + 2, quality: { hp: 2 } },
    ]);
  });

  it('a worse watermark, frontier or quality from a later sibling does not lower the best', () => {
    const { state, base } = batchStart();
    const runner = new AssertionStore();
    const good = runTimeline(runner, base, (s) => {
      s.recordNumeric('NumericSometimes', 'gt', 30, 0, 'depth');
      s.recordSometimesAll('all', { a: true, b: true, c: true });
      s.recordEach('room', { r: 'hall' }, { hp: 8 });
    });
    const fair = runTimeline(runner, base, (s) => {
      s.recordNumeric('NumericSometimes', 'gt', 20, 0, 'depth');
      s.recordSometimesAll('all', { a: true, b: true, c: false });
      s.recordEach('room', { r: 'hall' }, { hp: 4 });
    });
    const ledger = ledgerWith(state);
    assert.deepEqual(mergeAll(ledger, [good, fair]), [[true, true, true], [false, false, false]]);
    assert.equal(result(ledger, 'depth').watermark, 30);
    assert.equal(result(ledger, 'all').frontier, 3);
    assert.deepEqual(result(ledger, 'room').buckets?.[1], { key: '{"r":"hall"}', hits: 3, quality: { hp: 8 } });
  });

  it('after prepareNextSeed, a bucket first hit by two siblings is a discovery for the first only', () => {
    const seed1 = new AssertionStore();
    seed1.recordEach('room', { r: 'a' });
    seed1.recordEach('room', { r: 'a' });
    seed1.recordEach('room', { r: 'b' });
    seed1.recordBool('Sometimes', true, 's');
    seed1.prepareNextSeed();
    const state = seed1.exportState();
    const base = seed1.exportBase();
    assert.deepEqual(base.slots[0]?.buckets?.map((b) => b.hits), [0, 0], 'hits were reset');
    const runner = new AssertionStore();
    const sibling = (s: AssertionStore): void => {
      s.recordEach('room', { r: 'a' });
      s.recordBool('Sometimes', true, 's');
    };
    const one = runTimeline(runner, base, sibling);
    const two = runTimeline(runner, base, sibling);
    // The third hits bucket b first: still a discovery (another bucket).
    const three = runTimeline(runner, base, (s) => {
      s.recordEach('room', { r: 'b' });
      s.recordEach('room', { r: 'a' });
    });
    const expected: Discovery[] = [
      { kind: 'bucket', msg: 'room', key: '{"r":"a"}', first: true },
      { kind: 'trigger', msg: 's' },
    ];
    assert.deepEqual(one.news.discoveries, expected);
    assert.deepEqual(two.news.discoveries, expected);
    assert.deepEqual(one.news.created, [], 'the bucket exists: a first hit creates nothing');
    const ran = [one, two, three];
    // However the deltas were summed (one sum, or one per sibling).
    for (const groups of [[[0, 1, 2]], [[0], [1], [2]], [[2, 0], [1]]]) {
      const ledger = ledgerWith(state);
      const kept = ledger.mergeBatch(ran.map((r) => r.news), sums(ran, groups));
      assert.deepEqual(kept, [[true, true], [false, false], [true, false]], JSON.stringify(groups));
      assert.deepEqual(result(ledger, 'room').buckets, [
        { key: '{"r":"a"}', hits: 3 },
        { key: '{"r":"b"}', hits: 1 },
      ]);
      assert.equal(result(ledger, 's').passCount, 2);
      assert.equal(ledger.exportState().slots[1]?.triggered, true);
    }
  });

  it('merging the same news and deltas in the same order gives identical ledgers; new entries come in that order', () => {
    const { state, base } = batchStart();
    const runner = new AssertionStore();
    const timelines = [
      runTimeline(runner, base, (s) => {
        s.recordBool('Sometimes', true, 'x');
        s.recordEach('room', { r: 'cellar' }, { hp: 1 });
        s.recordEach('room', { r: 'attic' });
        s.recordBool('Sometimes', true, 'shared');
      }),
      runTimeline(runner, base, (s) => {
        s.recordBool('Sometimes', true, 'shared');
        s.recordBool('Sometimes', true, 'y');
        s.recordEach('room', { r: 'attic' });
        s.recordEach('room', { r: 'garden' }, { hp: 2 });
        s.recordEach('room', { r: 'cellar' }, { hp: 7 });
        s.recordBool('Always', true, 'always');
      }),
      runTimeline(runner, base, (s) => {
        s.recordEach('room', { r: 'roof' });
        s.recordBool('Sometimes', true, 'z');
        s.recordNumeric('NumericSometimes', 'gt', 11, 0, 'depth');
      }),
    ];
    const merge = (order: readonly number[]): { ledger: AssertionStore; kept: boolean[][] } => {
      const ledger = ledgerWith(structuredClone(state));
      // Plain data, as posted by workers.
      const ran = structuredClone(order.map((i) => timelines[i] as Ran));
      return { ledger, kept: mergeAll(ledger, ran) };
    };
    const a = merge([0, 1, 2]);
    const b = merge([0, 1, 2]);
    assert.deepEqual(b.ledger.exportState(), a.ledger.exportState());
    assert.deepEqual(b.ledger.results(), a.ledger.results());
    assert.deepEqual(b.kept, a.kept);
    assert.deepEqual(a.kept, [
      [true, true, true, true],
      [false, true, false, true, true],
      [true, true, true],
    ]);
    const msgs = (store: AssertionStore): string[] => store.results().map((r) => r.msg);
    const rooms = (store: AssertionStore): string[] => (result(store, 'room').buckets ?? []).map((x) => x.key);
    assert.deepEqual(msgs(a.ledger), ['always', 'depth', 'distance', 'all', 'room', 'x', 'shared', 'y', 'z']);
    assert.deepEqual(rooms(a.ledger), [
      '{"r":"start"}', '{"r":"hall"}', '{"r":"cellar"}', '{"r":"attic"}', '{"r":"garden"}', '{"r":"roof"}',
    ]);
    // Another order: another (deterministic) result, new entries in that order.
    const c = merge([2, 1, 0]);
    assert.deepEqual(msgs(c.ledger), ['always', 'depth', 'distance', 'all', 'room', 'z', 'shared', 'y', 'x']);
    assert.deepEqual(rooms(c.ledger), [
      '{"r":"start"}', '{"r":"hall"}', '{"r":"roof"}', '{"r":"attic"}', '{"r":"garden"}', '{"r":"cellar"}',
    ]);
    assert.deepEqual(c.kept, [
      [true, true, true],
      [true, true, true, true, true],
      [true, false, false, false],
    ]);
    // The counts and bests do not depend on the order.
    assert.deepEqual(result(c.ledger, 'room').buckets?.at(-1), { key: '{"r":"cellar"}', hits: 2, quality: { hp: 7 } });
    assert.deepEqual(result(a.ledger, 'room').buckets?.[2], { key: '{"r":"cellar"}', hits: 2, quality: { hp: 7 } });
    assert.equal(result(c.ledger, 'depth').watermark, 11);
  });

  it('the result does not depend on how the timelines\' deltas are split into sums', () => {
    const { state, base } = batchStart();
    const runner = new AssertionStore();
    const ran = [
      runTimeline(runner, base, (s) => {
        s.recordBool('Always', true, 'always');
        s.recordBool('Always', true, 'always');
        s.recordBool('Sometimes', true, 'treasure');
        s.recordNumeric('NumericSometimes', 'gt', 20, 0, 'depth');
        s.recordSometimesAll('all', { a: true, b: true, c: false });
        s.recordEach('room', { r: 'vault' }, { hp: 2 });
        s.recordEach('room', { r: 'hall' }, { hp: 3 });
      }),
      runTimeline(runner, base, (s) => {
        s.recordBool('Always', false, 'always');
        s.recordBool('Sometimes', true, 'treasure');
        s.recordNumeric('NumericSometimes', 'gt', 25, 0, 'depth');
        s.recordNumeric('NumericSometimes', 'lt', 30, 0, 'distance');
        s.recordEach('room', { r: 'vault' }, { hp: 1 });
        s.recordEach('room', { r: 'hall' }, { hp: 9 });
        s.recordEach('room', { r: 'cellar' });
        s.recordSometimesAll('all', { a: false, d: true });
      }),
      runTimeline(runner, base, (s) => {
        s.recordBool('Always', true, 'always');
        s.recordSometimesAll('all', { a: true, b: true, c: true });
        s.recordEach('room', { r: 'start' }, { hp: 6 });
        s.recordNumeric('NumericSometimes', 'lt', 45, 0, 'distance');
        s.recordNumeric('NumericSometimes', 'le', 7n, 0n, 'height');
        s.recordBool('Sometimes', true, 'always');
      }),
      runTimeline(runner, base, (s) => {
        s.recordEach('room', { r: 'vault' });
        s.recordEach('room', { r: 'cellar' }, { hp: 4 });
        s.recordNumeric('NumericSometimes', 'gt', 15, 0, 'depth');
        s.recordNumeric('NumericSometimes', 'le', 3n, 0n, 'height');
        s.recordBool('Sometimes', false, 'treasure');
      }),
    ];
    const merge = (groups: number[][]): { state: StoreState; results: AssertionResult[]; kept: boolean[][] } => {
      const ledger = ledgerWith(structuredClone(state));
      const kept = ledger.mergeBatch(structuredClone(ran.map((r) => r.news)), structuredClone(sums(ran, groups)));
      return { state: ledger.exportState(), results: ledger.results(), kept };
    };
    const all = merge([[0, 1, 2, 3]]);
    const splits = [
      [[0], [1], [2], [3]],
      [[3], [2], [1], [0]],
      [[0, 2], [1, 3]],
      [[3, 1], [2, 0]],
      [[1, 2, 3], [0]],
      [[3, 2, 1, 0]],
    ];
    for (const groups of splits) assert.deepEqual(merge(groups), all, JSON.stringify(groups));
    // A summed sum is the same too (a thread adding up what others sent).
    const outer = new DeltaSum();
    for (const sum of sums(ran, [[0, 2], [3], [1]])) outer.add(sum);
    const ledger = ledgerWith(state);
    const kept = ledger.mergeBatch(ran.map((r) => r.news), [outer.take()]);
    assert.deepEqual({ state: ledger.exportState(), results: ledger.results(), kept }, all);
    // And it is a real merge, not an empty one.
    assert.deepEqual(all.kept, [
      [true, true, true, true, true],
      // treasure (already triggered), depth 25, distance 30, vault (first hit by t0, worse quality), hall 9, cellar
      [false, true, true, false, true, true],
      // frontier 3, start 6, distance 45 (t1 has 30), height 7
      [true, true, false, true],
      // vault (t0 hit it first), cellar quality 4 (t1 gave none), depth 15 (t1 has 25), height 3
      [false, true, false, true],
    ]);
    assert.deepEqual([result(ledger, 'always').passCount, result(ledger, 'always').failCount], [4, 1]);
    assert.equal(result(ledger, 'treasure').passCount, 2);
    assert.equal(result(ledger, 'treasure').failCount, 1);
    assert.equal(result(ledger, 'depth').watermark, 25);
    assert.equal(result(ledger, 'distance').watermark, 30);
    assert.equal(result(ledger, 'height').watermark, 3n);
    assert.equal(result(ledger, 'all').frontier, 3);
    assert.deepEqual(result(ledger, 'all').conditions, [
      { name: 'a', seenTrue: true },
      { name: 'b', seenTrue: true },
      { name: 'c', seenTrue: true },
      { name: 'd', seenTrue: true },
    ]);
    assert.deepEqual(result(ledger, 'room').buckets, [
      { key: '{"r":"start"}', hits: 2, quality: { hp: 6 } },
      { key: '{"r":"hall"}', hits: 3, quality: { hp: 9 } },
      { key: '{"r":"vault"}', hits: 3, quality: { hp: 2 } },
      { key: '{"r":"cellar"}', hits: 2, quality: { hp: 4 } },
    ]);
    assert.equal(ledger.warnings().length, 1);
  });

  it('new assertions, buckets and conditions come in the order the timelines made them', () => {
    const runner = new AssertionStore();
    const t = runTimeline(runner, EMPTY, (s) => {
      // No discovery, then one: the discovering assertion does not overtake.
      s.recordBool('Always', true, 'first');
      s.recordBool('Sometimes', true, 'second');
      s.recordSometimesAll('all', { z: false, a: true });
      s.recordEach('e', { k: 2 });
      s.recordEach('e', { k: 1 });
    });
    assert.deepEqual(runner.results().map((r) => r.msg), ['first', 'second', 'all', 'e']);
    const u = runTimeline(runner, EMPTY, (s) => {
      s.recordBool('Sometimes', true, 'third');
      s.recordBool('Always', true, 'first');
      s.recordSometimesAll('all', { m: true, a: true, z: true });
      s.recordEach('e', { k: 0 });
      s.recordEach('e', { k: 2 });
    });
    const ledger = new AssertionStore();
    assert.deepEqual(mergeAll(ledger, [t, u]), [[true, true, true, true], [true, true, true, false]]);
    assert.deepEqual(ledger.results().map((r) => r.msg), ['first', 'second', 'all', 'e', 'third']);
    assert.deepEqual(result(ledger, 'all').conditions, [
      { name: 'z', seenTrue: true },
      { name: 'a', seenTrue: true },
      { name: 'm', seenTrue: true },
    ]);
    assert.equal(result(ledger, 'all').frontier, 3);
    assert.deepEqual(result(ledger, 'e').buckets, [
      { key: '{"k":2}', hits: 2 },
      { key: '{"k":1}', hits: 1 },
      { key: '{"k":0}', hits: 1 },
    ]);
    assert.equal(result(ledger, 'first').passCount, 2);
  });

  it('new warnings merge once', () => {
    const runner = new AssertionStore();
    const { state, base } = batchStart();
    const clash = (s: AssertionStore): void => s.recordBool('Sometimes', true, 'always');
    const one = runTimeline(runner, base, clash);
    const two = runTimeline(runner, base, clash);
    assert.equal(one.news.warnings.length, 1);
    const ledger = ledgerWith(state);
    mergeAll(ledger, [one, two]);
    assert.deepEqual(ledger.warnings(), one.news.warnings);
  });
});

describe('AssertionStore reloads and the bucket-key caches', () => {
  it('a bucket a previous timeline created but the reloaded state lacks is new again', () => {
    const base = new AssertionStore();
    base.recordEach('e', { k: 'kept' });
    const state = base.exportState();
    const { store, marks } = tracked();
    store.importState(state);
    // The same key order every time: the fast (trie) path is what gets tested.
    store.recordEach('e', { k: 'made', n: 1 });
    store.recordEach('e', { k: 'made', n: 1 });
    store.recordEach('e', { k: 'made', n: 1 }, { q: 4 });
    assert.deepEqual(marks, ['e {"k":"made","n":1}', 'e {"k":"made","n":1}']);
    for (let round = 0; round < 3; round++) {
      store.importState(state);
      marks.length = 0;
      store.recordEach('e', { k: 'made', n: 1 });
      assert.deepEqual(marks, ['e {"k":"made","n":1}'], `round ${round}: a new bucket again`);
      assert.deepEqual(store.timelineNews().discoveries, [{ kind: 'bucket', msg: 'e', key: '{"k":"made","n":1}', first: true }]);
      assert.deepEqual(store.timelineNews().created.map((c) => c.kind), ['bucket']);
      assert.deepEqual(result(store, 'e').buckets, [
        { key: '{"k":"kept"}', hits: 1 },
        { key: '{"k":"made","n":1}', hits: 1 },
      ]);
      // No quality leaked from the dead bucket: a lower one than before is an improvement.
      store.recordEach('e', { k: 'made', n: 1 }, { q: 1 });
      assert.equal(marks.length, 2);
      // The delta has the new bucket with its own hits.
      const bucketsOf = (d: StoreDelta): unknown =>
        d.slots[0]?.buckets?.map((b) => [b.key, b.hits, b.quality]);
      assert.deepEqual(bucketsOf(store.exportDelta()), [['{"k":"made","n":1}', 2, [1]]]);
    }
  });

  it('a bucket present in the state is found (no discovery) and its hits continue from the state', () => {
    const base = new AssertionStore();
    base.recordEach('e', { k: 'b', n: 2 }, { q: 5 });
    base.recordEach('e', { n: 2, k: 'b' });
    base.recordEach('e', { k: 'c', n: 3 });
    const state = base.exportState();
    const { store, marks } = tracked();
    // Warm the caches with the keys, then drop them with an empty state, then load them again.
    store.recordEach('e', { k: 'b', n: 2 });
    store.recordEach('e', { n: 3, k: 'c' });
    store.importState(EMPTY);
    store.recordEach('e', { k: 'b', n: 2 });
    store.importState(state);
    marks.length = 0;
    store.recordEach('e', { k: 'b', n: 2 }, { q: 4 });
    store.recordEach('e', { n: 3, k: 'c' });
    assert.deepEqual(marks, []);
    assert.deepEqual(result(store, 'e').buckets, [
      { key: '{"k":"b","n":2}', hits: 3, quality: { q: 5 } },
      { key: '{"k":"c","n":3}', hits: 2 },
    ]);
    store.recordEach('e', { k: 'b', n: 2 }, { q: 6 });
    assert.deepEqual(marks, ['e {"k":"b","n":2}']);
    assert.deepEqual(store.timelineNews().discoveries, [
      { kind: 'bucket', msg: 'e', key: '{"k":"b","n":2}', first: false, quality: { q: 6 } },
    ]);
    assert.deepEqual(store.timelineNews().created, []);
    assert.deepEqual(
      store.exportDelta().slots[0]?.buckets?.map((b) => [b.key, b.hits]),
      [['{"k":"b","n":2}', 2], ['{"k":"c","n":3}', 1]],
    );
  });

  it('a bucket in the loaded state is found even after many distinct keys went through the site', () => {
    // EachSite keeps at most 4 * 256 bucket objects across reloads (`known`); a live bucket made
    // past that limit is only in `buckets`, and must still be found there.
    const stateOf = (from: number, n: number, hits: number): StoreState => {
      const s = new AssertionStore();
      for (let i = from; i < from + n; i++) for (let h = 0; h < hits; h++) s.recordEach('e', { i });
      return s.exportState();
    };
    const { store, marks } = tracked();
    // Five timelines, each from a state with other keys: 1280 distinct keys seen by the site.
    for (let r = 0; r < 5; r++) store.importState(stateOf(r * MAX_EACH_BUCKETS, MAX_EACH_BUCKETS, 1));
    store.importState(stateOf(5000, 3, 2));
    marks.length = 0;
    store.recordEach('e', { i: 5000 });
    store.recordEach('e', { i: 5002 });
    store.recordEach('e', { i: 5002 });
    assert.deepEqual(marks, [], 'the buckets are in the state: no discovery');
    assert.deepEqual(store.timelineNews(), { created: [], discoveries: [], warnings: [] });
    assert.deepEqual(result(store, 'e').buckets, [
      { key: '{"i":5000}', hits: 3 },
      { key: '{"i":5001}', hits: 2 },
      { key: '{"i":5002}', hits: 4 },
    ]);
    // A key not in the state is still a new bucket.
    store.recordEach('e', { i: 5003 });
    assert.deepEqual(marks, ['e {"i":5003}']);
    assert.deepEqual(
      store.exportDelta().slots[0]?.buckets?.map((b) => [b.key, b.hits]),
      [['{"i":5000}', 1], ['{"i":5002}', 2], ['{"i":5003}', 1]],
    );
  });
});

describe('AssertionStore.mergeBatch: the bucket limit', () => {
  it(`drops buckets past ${MAX_EACH_BUCKETS} in a site with one warning, never throws`, () => {
    const start = new AssertionStore();
    for (let i = 0; i < MAX_EACH_BUCKETS - 10; i++) start.recordEach('e', { i });
    const state = start.exportState();
    const runner = new AssertionStore();
    // Three siblings, each making 8 buckets of its own (24 new, room for 10) and hitting bucket 0.
    const siblings = [0, 1, 2].map((t) =>
      runTimeline(runner, start.exportBase(), (s) => {
        s.recordEach('e', { i: 0 });
        for (let k = 0; k < 8; k++) s.recordEach('e', { i: 1000 + 8 * t + k });
      }),
    );
    for (const s of siblings) {
      assert.equal(s.news.discoveries.length, 8, 'each alone had room');
      assert.equal(s.news.created.length, 8);
      assert.deepEqual(s.news.warnings, []);
    }
    const ledger = ledgerWith(state);
    const kept = mergeAll(ledger, siblings);
    assert.deepEqual(kept, [
      Array(8).fill(true),
      [true, true, false, false, false, false, false, false],
      Array(8).fill(false),
    ]);
    const list = result(ledger, 'e').buckets ?? [];
    assert.equal(list.length, MAX_EACH_BUCKETS);
    assert.equal(list[0]?.hits, 1 + 3, 'hits of existing buckets still merge');
    assert.deepEqual(list.slice(-10).map((b) => b.key), [
      ...[0, 1, 2, 3, 4, 5, 6, 7].map((k) => `{"i":${1000 + k}}`),
      '{"i":1008}',
      '{"i":1009}',
    ]);
    assert.ok(list.slice(-10).every((b) => b.hits === 1));
    assert.equal(ledger.warnings().length, 1);
    assert.match(ledger.warnings()[0] as string, /"e": more than 256 buckets; extra buckets dropped/);
    assert.equal(result(ledger, 'e').passCount, MAX_EACH_BUCKETS - 10 + 3 * 9);
    // The next batch's base says the site is full: a timeline drops new keys too, without warning again.
    const next = runTimeline(runner, ledger.exportBase(), (s) => s.recordEach('e', { i: 9999 }));
    assert.deepEqual(next.news, { created: [], discoveries: [], warnings: [] }, 'the state already carries the warning');
    assert.deepEqual(mergeAll(ledger, [next]), [[]]);
    assert.equal(result(ledger, 'e').buckets?.length, MAX_EACH_BUCKETS);
    assert.equal(result(ledger, 'e').passCount, MAX_EACH_BUCKETS - 10 + 3 * 9 + 1);
  });

  it('a delta bringing more buckets than a site holds merges without throwing', () => {
    const runner = new AssertionStore();
    const ran = [0, 1].map((t) =>
      runTimeline(runner, EMPTY, (s) => {
        for (let k = 0; k < 200; k++) s.recordEach('e', { t, k });
      }),
    );
    const ledger = new AssertionStore();
    const kept = mergeAll(ledger, ran);
    assert.equal(kept[0]?.filter((k) => k).length, 200);
    assert.equal(kept[1]?.filter((k) => k).length, MAX_EACH_BUCKETS - 200);
    assert.equal(result(ledger, 'e').buckets?.length, MAX_EACH_BUCKETS);
    assert.equal(result(ledger, 'e').passCount, 400);
    assert.equal(ledger.warnings().length, 1);
  });
});
