// Each-buckets across state reloads and batch merges: the bucket-key caches and the bucket limit.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AssertionStore, MAX_EACH_BUCKETS, type StoreDelta, type StoreState } from '../src/index.js';
import { EMPTY, ledgerWith, mergeAll, result, runTimeline, tracked } from './support/store-state.js';

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

