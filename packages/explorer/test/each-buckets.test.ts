import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bucketKey } from '../src/bucket-key.js';
import { type AssertionResult, AssertionStore, MAX_EACH_BUCKETS } from '../src/index.js';

type Keys = Record<string, string | number | boolean>;

function buckets(store: AssertionStore, msg: string): NonNullable<AssertionResult['buckets']> {
  const r = store.results().find((x) => x.msg === msg);
  assert.ok(r?.buckets, `no buckets for ${msg}`);
  return r.buckets;
}

describe('each-bucket identity', () => {
  it('does not depend on key order, whichever order comes first', () => {
    const store = new AssertionStore();
    const marks: string[] = [];
    store.onDiscovery = (_mark, bucket) => marks.push(bucket ?? '');
    store.recordEach('e', { b: 1, a: 2 });
    store.recordEach('e', { a: 2, b: 1 });
    store.recordEach('e', { a: 3, b: 1 });
    store.recordEach('e', { b: 1, a: 3 });
    store.recordEach('e', { b: 1, a: 2 });
    assert.deepEqual(marks, ['{"a":2,"b":1}', '{"a":3,"b":1}']);
    assert.deepEqual(buckets(store, 'e'), [
      { key: '{"a":2,"b":1}', hits: 3 },
      { key: '{"a":3,"b":1}', hits: 2 },
    ]);
  });

  it('gives the same buckets as the sorted-JSON key for awkward values', () => {
    const values: (string | number | boolean)[] = [
      0, -0, 1, '1', true, 'true', Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY,
      1e21, 0.1, '', 'é', '\u0000',
    ];
    const store = new AssertionStore();
    const expected = new Map<string, number>();
    for (let round = 0; round < 3; round++) {
      for (const v of values) {
        for (const keys of [{ x: v, y: 1 }, { y: 1, x: v }, { x: v }] as Keys[]) {
          store.recordEach('e', keys);
          const key = bucketKey(keys);
          expected.set(key, (expected.get(key) ?? 0) + 1);
        }
      }
    }
    const got = new Map(buckets(store, 'e').map((b) => [b.key, b.hits]));
    assert.deepEqual(got, expected);
  });

  it('handles extra, missing and reordered keys and many key orders', () => {
    const store = new AssertionStore();
    const calls: Keys[] = [
      { a: 1, b: 2, c: 3 }, { a: 1, b: 2 }, { a: 1, b: 2, c: 3, d: 4 }, { c: 3, b: 2, a: 1 },
      { b: 2, c: 3, a: 1 }, { c: 3, a: 1, b: 2 }, { b: 2, a: 1, c: 3 }, { a: 1, c: 3, b: 2 },
      {}, { '2': 1, '1': 2 }, { '1': 2, '2': 1 },
    ];
    for (let round = 0; round < 2; round++) for (const keys of calls) store.recordEach('e', keys);
    assert.deepEqual(buckets(store, 'e'), [
      { key: '{"a":1,"b":2,"c":3}', hits: 12 },
      { key: '{"a":1,"b":2}', hits: 2 },
      { key: '{"a":1,"b":2,"c":3,"d":4}', hits: 2 },
      { key: '{}', hits: 2 },
      { key: '{"1":2,"2":1}', hits: 4 },
    ]);
  });

  it('ignores inherited properties, like the sorted-JSON key', () => {
    const store = new AssertionStore();
    store.recordEach('e', { a: 1 });
    const inherits = Object.create({ b: 2 }) as Keys;
    inherits.a = 1;
    store.recordEach('e', inherits);
    assert.deepEqual(buckets(store, 'e'), [{ key: '{"a":1}', hits: 2 }]);
  });

  it('ignores inherited properties when they come first, and values only JSON takes', () => {
    const store = new AssertionStore();
    const inherits = Object.create({ b: 2 }) as Keys;
    inherits.a = 1;
    const undefinedValue = { a: 1, c: undefined } as unknown as Keys;
    for (let round = 0; round < 2; round++) {
      store.recordEach('e', inherits);
      store.recordEach('e', undefinedValue);
      store.recordEach('e', { a: 1 });
      store.recordEach('e', { a: 2 });
      store.recordEach('e', { a: 1, b: 2 });
    }
    assert.deepEqual(buckets(store, 'e'), [
      { key: '{"a":1}', hits: 6 },
      { key: '{"a":2}', hits: 2 },
      { key: '{"a":1,"b":2}', hits: 2 },
    ]);
  });

  it('compares quality by position and splits on improvement', () => {
    const store = new AssertionStore();
    const marks: string[] = [];
    store.onDiscovery = (_mark, bucket) => marks.push(bucket ?? '');
    store.recordEach('e', { k: 1 });
    store.recordEach('e', { k: 1 }, {});
    store.recordEach('e', { k: 1 }, { hp: 2, gold: 5 });
    store.recordEach('e', { k: 1 }, { hp: 2, gold: 4 });
    store.recordEach('e', { k: 1 }, { hp: 2, gold: 5 });
    store.recordEach('e', { k: 1 }, { hp: 3, gold: 0 });
    assert.equal(marks.length, 3);
    assert.deepEqual(buckets(store, 'e'), [{ key: '{"k":1}', hits: 6, quality: { hp: 3, gold: 0 } }]);
  });

  it(`drops buckets past ${MAX_EACH_BUCKETS} with one warning, keeping existing ones counted`, () => {
    const store = new AssertionStore();
    for (let i = 0; i < MAX_EACH_BUCKETS + 10; i++) store.recordEach('e', { i });
    store.recordEach('e', { i: 0 });
    store.recordEach('e', { i: MAX_EACH_BUCKETS + 1 });
    const list = buckets(store, 'e');
    assert.equal(list.length, MAX_EACH_BUCKETS);
    assert.equal(list[0]?.hits, 2);
    assert.equal(store.warnings().length, 1);
  });
});
