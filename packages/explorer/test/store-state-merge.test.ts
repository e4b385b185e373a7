// The ledger merge of sibling timelines of one batch (what parallel exploration is built on): their
// news in the batch's order, their deltas summed in any grouping.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type AssertionResult, AssertionStore, DeltaSum, type StoreState } from '../src/index.js';
import type { Discovery } from '../src/store-state.js';
import { EMPTY, ledgerWith, mergeAll, type Ran, result, runTimeline, sums } from './support/store-state.js';

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
