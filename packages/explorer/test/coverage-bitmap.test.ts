import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CoverageBitmap } from '../src/coverage-bitmap.js';
import { ExploredMap } from '../src/explored-map.js';
import { AssertionStore, COVERAGE_BITS, coverageBit, fnv1a32 } from '../src/index.js';

function bitmapOf(...bits: number[]): CoverageBitmap {
  const b = new CoverageBitmap();
  for (const bit of bits) b.set(bit);
  return b;
}

/** The straightforward definition: FNV-1a over TextEncoder's bytes. */
function referenceFnv(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) h = Math.imul(h ^ byte, 0x01000193);
  return h >>> 0;
}

describe('CoverageBitmap', () => {
  it('sets, tests, counts and clears bits across the whole range', () => {
    const b = bitmapOf(0, 31, 32, 4095, COVERAGE_BITS - 1, 31);
    assert.equal(b.words.length * 32, COVERAGE_BITS);
    for (const bit of [0, 31, 32, 4095, COVERAGE_BITS - 1]) assert.ok(b.has(bit));
    assert.ok(!b.has(1) && !b.has(33));
    assert.equal(b.count(), 5);
    b.clear();
    assert.equal(b.count(), 0);
  });

  it('ORs into another and finds bits missing from it', () => {
    const a = bitmapOf(1, 100);
    const b = bitmapOf(100, 8000);
    assert.ok(a.hasBitsNotIn(b));
    a.orInto(b);
    assert.equal(b.count(), 3);
    assert.ok(!a.hasBitsNotIn(b));
    assert.ok(b.hasBitsNotIn(a));
    assert.ok(!new CoverageBitmap().hasBitsNotIn(a));
  });
});

describe('ExploredMap', () => {
  it('judges a batch before merging it, so siblings do not hide each other', () => {
    const explored = new ExploredMap();
    explored.merge(bitmapOf(5));
    const children = [bitmapOf(5), bitmapOf(5, 7), bitmapOf(7)];
    const fresh = children.map((c) => explored.isNew(c));
    for (const c of children) explored.merge(c);
    assert.deepEqual(fresh, [false, true, true]);
    assert.equal(explored.count(), 2);
    assert.ok(!explored.isNew(bitmapOf(7)));
  });

  it('takes a store timeline bitmap: the bits of its discoveries', () => {
    const store = new AssertionStore();
    store.recordReachable('r');
    store.recordEach('e', { k: 1 });
    const explored = new ExploredMap();
    assert.ok(explored.isNew(store.timelineBitmap));
    explored.merge(store.timelineBitmap);
    assert.ok(explored.has(coverageBit('r')));
    assert.ok(explored.has(coverageBit('e', '{"k":1}')));
    assert.deepEqual(store.coverageBits(), explored.words);
  });
});

describe('fnv1a32', () => {
  it('hashes UTF-8 bytes like TextEncoder, lone surrogates included', () => {
    for (const text of ['', 'a', 'foobar', 'é', '€', '😀', 'a\ud800b', '\udc00', 'x\ud83d', '\u07ff\u0800\uffff']) {
      assert.equal(fnv1a32(text), referenceFnv(text), JSON.stringify(text));
    }
  });
});
