import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type AssertionResult, AssertionStore } from '../src/index.js';

function tracked(): { store: AssertionStore; marks: string[] } {
  const store = new AssertionStore();
  const marks: string[] = [];
  store.onDiscovery = (mark, bucket) => marks.push(bucket === undefined ? mark : `${mark} ${bucket}`);
  return { store, marks };
}

function result(store: AssertionStore, msg: string): AssertionResult {
  const r = store.results().find((x) => x.msg === msg);
  assert.ok(r, `no result for ${msg}`);
  return r;
}

describe('prepareNextSeed', () => {
  it('lets sometimes and reachable split again on the next seed', () => {
    const { store, marks } = tracked();
    store.recordBool('Sometimes', true, 's');
    store.recordReachable('r');
    store.recordBool('Sometimes', true, 's');
    assert.deepEqual(marks, ['s', 'r']);
    store.prepareNextSeed();
    store.recordBool('Sometimes', false, 's');
    store.recordBool('Sometimes', true, 's');
    store.recordReachable('r');
    assert.deepEqual(marks, ['s', 'r', 's', 'r']);
  });

  it('resets pass/fail counters, always-failures and the timeline bitmap', () => {
    const { store } = tracked();
    store.recordBool('Always', false, 'a');
    store.recordBool('Sometimes', true, 's');
    store.recordEach('each', { k: 1 });
    assert.ok(store.timelineBitmap.count() > 0);
    store.prepareNextSeed();
    assert.deepEqual([result(store, 'a').passCount, result(store, 'a').failCount], [0, 0]);
    assert.equal(result(store, 's').passCount, 0);
    assert.equal(result(store, 'each').buckets?.[0]?.hits, 0);
    assert.deepEqual(store.iterationAlwaysViolations(), []);
    assert.equal(store.timelineBitmap.count(), 0);
  });

  it('keeps the numeric watermark: only an improvement beyond it splits', () => {
    const { store, marks } = tracked();
    store.recordNumeric('NumericSometimes', 'gt', 10, 100, 'gt');
    store.recordNumeric('NumericSometimes', 'lt', 10, -100, 'lt');
    store.prepareNextSeed();
    marks.length = 0;
    store.recordNumeric('NumericSometimes', 'gt', 3, 100, 'gt');
    store.recordNumeric('NumericSometimes', 'gt', 10, 100, 'gt');
    store.recordNumeric('NumericSometimes', 'lt', 12, -100, 'lt');
    assert.deepEqual(marks, []);
    assert.equal(result(store, 'gt').watermark, 10);
    store.recordNumeric('NumericSometimes', 'gt', 11, 100, 'gt');
    store.recordNumeric('NumericSometimes', 'lt', 9, -100, 'lt');
    assert.deepEqual(marks, ['gt', 'lt']);
  });

  it('keeps the frontier: only more conditions true at once split', () => {
    const { store, marks } = tracked();
    store.recordSometimesAll('all', { a: true, b: true, c: false });
    store.prepareNextSeed();
    marks.length = 0;
    store.recordSometimesAll('all', { a: true, b: false, c: false });
    store.recordSometimesAll('all', { a: false, b: true, c: true });
    assert.deepEqual(marks, []);
    store.recordSometimesAll('all', { a: true, b: true, c: true });
    assert.deepEqual(marks, ['all']);
    assert.equal(result(store, 'all').frontier, 3);
  });

  it('keeps buckets and their best quality; a bucket splits again once on its first hit', () => {
    const { store, marks } = tracked();
    store.recordEach('room', { floor: 1 }, { hp: 3 });
    store.prepareNextSeed();
    marks.length = 0;
    store.recordEach('room', { floor: 1 }, { hp: 2 });
    assert.deepEqual(marks, ['room {"floor":1}'], 'the first hit on the new seed is a split trigger');
    store.recordEach('room', { floor: 1 }, { hp: 3 });
    assert.equal(marks.length, 1, 'no improvement on the kept best quality: no split');
    store.recordEach('room', { floor: 1 }, { hp: 4 });
    store.recordEach('room', { floor: 2 }, { hp: 1 });
    assert.deepEqual(marks, ['room {"floor":1}', 'room {"floor":1}', 'room {"floor":2}']);
    assert.deepEqual(result(store, 'room').buckets, [
      { key: '{"floor":1}', hits: 3, quality: { hp: 4 } },
      { key: '{"floor":2}', hits: 1, quality: { hp: 1 } },
    ]);
  });
});

describe('beginTimeline', () => {
  it('clears the timeline bitmap and always-failures but keeps triggers and counts', () => {
    const { store, marks } = tracked();
    store.recordBool('Always', false, 'a');
    store.recordBool('Sometimes', true, 's');
    store.beginTimeline();
    assert.equal(store.timelineBitmap.count(), 0);
    assert.deepEqual(store.iterationAlwaysViolations(), []);
    store.recordBool('Sometimes', true, 's');
    assert.deepEqual(marks, ['s']);
    assert.equal(result(store, 's').passCount, 2);
  });
});
