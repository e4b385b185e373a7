// The assertion store as plain data: export/import of the whole state, a timeline's delta, and the
// ledger merge of sibling timelines (what parallel exploration is built on).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type AssertionResult,
  AssertionStore,
  type Discovery,
  MAX_EACH_BUCKETS,
  type StoreDelta,
  type StoreState,
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

/** Runs `timeline` on `runner` loaded with `base`; what a worker sends back. */
function runTimeline(
  runner: AssertionStore,
  base: StoreState,
  timeline: (s: AssertionStore) => void,
): { delta: StoreDelta; discoveries: Discovery[] } {
  runner.importState(base);
  timeline(runner);
  return { delta: runner.exportDelta(), discoveries: runner.timelineDiscoveries() };
}

/** A ledger store holding `base`. */
function ledgerWith(base: StoreState): AssertionStore {
  const ledger = new AssertionStore();
  ledger.importState(base);
  return ledger;
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
    assert.deepEqual(store.timelineDiscoveries(), []);
    // Improvements still split.
    store.recordNumeric('NumericSometimes', 'gt', 8, 100, 'numeric-gt');
    store.recordSometimesAll('all', { a: true, b: false, c: true });
    store.recordEach('each', { room: 'a', floor: 1 }, { hp: 3, gold: 2 });
    store.recordBool('Sometimes', true, 'sometimes-false');
    assert.deepEqual(store.timelineDiscoveries(), [
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

describe('AssertionStore.exportDelta', () => {
  it('holds only what the timeline reached: count increases, buckets hit with their own hits, new warnings', () => {
    const base = populated().exportState();
    const runner = new AssertionStore();
    runner.importState(base);
    assert.deepEqual(runner.exportDelta(), { slots: [], warnings: [] }, 'nothing reached yet');
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
    assert.equal(delta.warnings.length, 1);
    assert.match(delta.warnings[0] as string, /"numeric-gt"/);
    // The store itself keeps the totals.
    assert.deepEqual([result(runner, 'always').passCount, result(runner, 'always').failCount], [3, 2]);
  });

  it('is relative to the latest importState', () => {
    const runner = new AssertionStore();
    const base = populated().exportState();
    runner.importState(base);
    runner.recordBool('Always', true, 'always');
    runner.recordEach('each', { room: 'z', floor: 9 });
    runner.importState(base);
    assert.deepEqual(runner.exportDelta(), { slots: [], warnings: [] });
    runner.recordBool('Always', true, 'always');
    const [slot] = runner.exportDelta().slots;
    assert.deepEqual([slot?.msg, slot?.pass], ['always', 1]);
  });
});

describe('AssertionStore.mergeTimeline: sibling timelines of one batch', () => {
  /** The batch-start state: a few assertions already known. */
  function batchBase(): StoreState {
    const s = new AssertionStore();
    s.recordBool('Always', true, 'always');
    s.recordNumeric('NumericSometimes', 'gt', 10, 0, 'depth');
    s.recordNumeric('NumericSometimes', 'lt', 50, 0, 'distance');
    s.recordSometimesAll('all', { a: true, b: false, c: false });
    s.recordEach('room', { r: 'start' }, { hp: 5 });
    s.recordEach('room', { r: 'hall' }, { hp: 1 });
    return s.exportState();
  }

  it('counts add up, bests win, and a discovery an earlier sibling made is rejected', () => {
    const base = batchBase();
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
    assert.deepEqual(second.discoveries, [
      { kind: 'trigger', msg: 'treasure' },
      { kind: 'watermark', msg: 'depth', value: 20 },
      { kind: 'bucket', msg: 'room', key: '{"r":"vault"}', first: true, quality: { hp: 2 } },
      { kind: 'watermark', msg: 'depth', value: 25 },
      { kind: 'watermark', msg: 'distance', value: 30 },
      { kind: 'bucket', msg: 'room', key: '{"r":"hall"}', first: false, quality: { hp: 9 } },
      { kind: 'frontier', msg: 'all', value: 3 },
    ]);

    const ledger = ledgerWith(base);
    const kept1 = ledger.mergeTimeline(first.delta, first.discoveries);
    assert.equal(kept1.length, first.discoveries.length);
    assert.ok(kept1.every((k) => k), 'the first sibling merged keeps all its discoveries');
    const kept2 = ledger.mergeTimeline(second.delta, second.discoveries);
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
    const base = batchBase();
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
    const ledger = ledgerWith(base);
    ledger.mergeTimeline(good.delta, good.discoveries);
    assert.deepEqual(ledger.mergeTimeline(fair.delta, fair.discoveries), [false, false, false]);
    assert.equal(result(ledger, 'depth').watermark, 30);
    assert.equal(result(ledger, 'all').frontier, 3);
    assert.deepEqual(result(ledger, 'room').buckets?.[1], { key: '{"r":"hall"}', hits: 3, quality: { hp: 8 } });
  });

  it('after prepareNextSeed, a bucket first hit by two siblings is a discovery for the first only', () => {
    const seed1 = new AssertionStore();
    seed1.recordEach('room', { r: 'a' });
    seed1.recordBool('Sometimes', true, 's');
    seed1.prepareNextSeed();
    const base = seed1.exportState();
    const runner = new AssertionStore();
    const one = runTimeline(runner, base, (s) => {
      s.recordEach('room', { r: 'a' });
      s.recordBool('Sometimes', true, 's');
    });
    const two = runTimeline(runner, base, (s) => {
      s.recordEach('room', { r: 'a' });
      s.recordBool('Sometimes', true, 's');
    });
    const expected: Discovery[] = [
      { kind: 'bucket', msg: 'room', key: '{"r":"a"}', first: true },
      { kind: 'trigger', msg: 's' },
    ];
    assert.deepEqual(one.discoveries, expected);
    assert.deepEqual(two.discoveries, expected);
    const ledger = ledgerWith(base);
    assert.deepEqual(ledger.mergeTimeline(one.delta, one.discoveries), [true, true]);
    assert.deepEqual(ledger.mergeTimeline(two.delta, two.discoveries), [false, false]);
    assert.deepEqual(result(ledger, 'room').buckets, [{ key: '{"r":"a"}', hits: 2 }]);
  });

  it('merging the same deltas in the same order gives identical ledgers; new entries come in merge order', () => {
    const base = batchBase();
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
      const ledger = ledgerWith(structuredClone(base));
      const kept = order.map((i) => {
        const t = timelines[i] as (typeof timelines)[number];
        return ledger.mergeTimeline(structuredClone(t.delta), structuredClone(t.discoveries));
      });
      return { ledger, kept };
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
  });

  it(
    'new assertions of one timeline come in the order the timeline made them',
    // Known discrepancy (reported): rejudge() creates the slots that carry a discovery before
    // mergeSlot() creates the others, so a discovering assertion overtakes one made earlier.
    { todo: 'mergeTimeline creates slots with discoveries first' },
    () => {
      const runner = new AssertionStore();
      const t = runTimeline(runner, { slots: [], warnings: [] }, (s) => {
        s.recordBool('Always', true, 'first');
        s.recordBool('Sometimes', true, 'second');
      });
      assert.deepEqual(runner.results().map((r) => r.msg), ['first', 'second']);
      const ledger = new AssertionStore();
      ledger.mergeTimeline(t.delta, t.discoveries);
      assert.deepEqual(ledger.results().map((r) => r.msg), ['first', 'second']);
    },
  );

  it('new warnings merge once', () => {
    const runner = new AssertionStore();
    const base = batchBase();
    const clash = (s: AssertionStore): void => s.recordBool('Sometimes', true, 'always');
    const one = runTimeline(runner, base, clash);
    const two = runTimeline(runner, base, clash);
    assert.equal(one.delta.warnings.length, 1);
    const ledger = ledgerWith(base);
    ledger.mergeTimeline(one.delta, one.discoveries);
    ledger.mergeTimeline(two.delta, two.discoveries);
    assert.deepEqual(ledger.warnings(), one.delta.warnings);
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
      assert.deepEqual(store.timelineDiscoveries(), [{ kind: 'bucket', msg: 'e', key: '{"k":"made","n":1}', first: true }]);
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
    store.importState({ slots: [], warnings: [] });
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
    assert.deepEqual(store.timelineDiscoveries(), [
      { kind: 'bucket', msg: 'e', key: '{"k":"b","n":2}', first: false, quality: { q: 6 } },
    ]);
    assert.deepEqual(
      store.exportDelta().slots[0]?.buckets?.map((b) => [b.key, b.hits]),
      [['{"k":"b","n":2}', 2], ['{"k":"c","n":3}', 1]],
    );
  });

  it(
    'a bucket in the loaded state is found even after many distinct keys went through the site',
    // Known bug (reported): EachSite keeps at most 4 * 256 bucket objects in `known`, and lookup()
    // only finds buckets that are in `known`; a loaded bucket past that limit is taken for a new one.
    { todo: 'EachSite.slowLookup ignores live buckets missing from `known`' },
    () => {
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
      assert.deepEqual(marks, [], 'the bucket is in the state: no discovery');
      assert.deepEqual(result(store, 'e').buckets?.[0], { key: '{"i":5000}', hits: 3 });
    },
  );
});

describe('AssertionStore.mergeTimeline: the bucket limit', () => {
  it(`drops buckets past ${MAX_EACH_BUCKETS} in a site with one warning, never throws`, () => {
    const base = new AssertionStore();
    for (let i = 0; i < MAX_EACH_BUCKETS - 10; i++) base.recordEach('e', { i });
    const state = base.exportState();
    const runner = new AssertionStore();
    // Three siblings, each making 8 buckets of its own (24 new, room for 10) and hitting bucket 0.
    const siblings = [0, 1, 2].map((t) =>
      runTimeline(runner, state, (s) => {
        s.recordEach('e', { i: 0 });
        for (let k = 0; k < 8; k++) s.recordEach('e', { i: 1000 + 8 * t + k });
      }),
    );
    for (const s of siblings) {
      assert.equal(s.discoveries.length, 8, 'each alone had room');
      assert.deepEqual(s.delta.warnings, []);
    }
    const ledger = ledgerWith(state);
    const kept = siblings.map((s) => ledger.mergeTimeline(s.delta, s.discoveries));
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
    assert.equal(ledger.warnings().length, 1);
    assert.match(ledger.warnings()[0] as string, /"e": more than 256 buckets; extra buckets dropped/);
    assert.equal(result(ledger, 'e').passCount, MAX_EACH_BUCKETS - 10 + 3 * 9);
    // The next batch's state says the site is full: a timeline drops new keys too, with the warning.
    const next = runTimeline(runner, ledger.exportState(), (s) => s.recordEach('e', { i: 9999 }));
    assert.deepEqual(next.discoveries, []);
    assert.equal(next.delta.warnings.length, 0, 'the state already carries the warning');
    assert.deepEqual(ledger.mergeTimeline(next.delta, next.discoveries), []);
    assert.equal(result(ledger, 'e').buckets?.length, MAX_EACH_BUCKETS);
  });

  it('a delta bringing more buckets than a site holds merges without throwing', () => {
    const runner = new AssertionStore();
    const deltas = [0, 1].map((t) =>
      runTimeline(runner, { slots: [], warnings: [] }, (s) => {
        for (let k = 0; k < 200; k++) s.recordEach('e', { t, k });
      }),
    );
    const ledger = new AssertionStore();
    const kept = deltas.map((d) => ledger.mergeTimeline(d.delta, d.discoveries));
    assert.equal(kept[0]?.filter((k) => k).length, 200);
    assert.equal(kept[1]?.filter((k) => k).length, MAX_EACH_BUCKETS - 200);
    assert.equal(result(ledger, 'e').buckets?.length, MAX_EACH_BUCKETS);
    assert.equal(ledger.warnings().length, 1);
  });
});
