// The assertion store as plain data: export/import of the whole state, a batch's base (what its
// timelines start from), a timeline's delta and its news.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AssertionStore, coverageBit } from '../src/index.js';
import { baseOf, ledgerWith, populated, result, runTimeline, tracked } from './support/store-state.js';

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
