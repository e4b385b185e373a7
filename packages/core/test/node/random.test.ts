import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NodeRandomProvider } from '../../src/index.js';

const random = new NodeRandomProvider();

test('random and randomRatio are in [0, 1) and vary', () => {
  const seen = new Set<number>();
  for (let i = 0; i < 1000; i++) {
    for (const value of [random.random(), random.randomRatio()]) {
      assert.ok(value >= 0 && value < 1, String(value));
      seen.add(value);
    }
  }
  assert.ok(seen.size > 1900);
});

test('randomRange covers [lo, hi) and nothing else', () => {
  const counts = new Map<number, number>();
  for (let i = 0; i < 2000; i++) {
    const value = random.randomRange(-2, 3);
    counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  assert.deepEqual([...counts.keys()].sort(), [-1, -2, 0, 1, 2].sort());
  for (const count of counts.values()) assert.ok(count > 250, 'roughly uniform');
  assert.equal(random.randomRange(5, 6), 5);
});

test('randomRange handles spans beyond 2^48', () => {
  const lo = -Number.MAX_SAFE_INTEGER;
  const hi = Number.MAX_SAFE_INTEGER;
  for (let i = 0; i < 200; i++) {
    const value = random.randomRange(lo, hi);
    assert.ok(Number.isSafeInteger(value) && value >= lo && value < hi);
  }
});

test('randomRangeFloat stays in [lo, hi)', () => {
  for (let i = 0; i < 1000; i++) {
    const value = random.randomRangeFloat(1.5, 1.75);
    assert.ok(value >= 1.5 && value < 1.75);
  }
});

test('randomBool follows p', () => {
  let hits = 0;
  for (let i = 0; i < 4000; i++) if (random.randomBool(0.25)) hits++;
  assert.ok(hits > 800 && hits < 1200, String(hits));
  for (let i = 0; i < 100; i++) {
    assert.equal(random.randomBool(0), false);
    assert.equal(random.randomBool(1), true);
  }
});

test('bad arguments throw RangeError', () => {
  const bad: Array<() => unknown> = [
    () => random.randomRange(3, 3),
    () => random.randomRange(4, 3),
    () => random.randomRange(0.5, 3),
    () => random.randomRange(0, Number.POSITIVE_INFINITY),
    () => random.randomRange(Number.NaN, 3),
    () => random.randomRange(0, 2 ** 60),
    () => random.randomRangeFloat(1, 1),
    () => random.randomRangeFloat(0, Number.NaN),
    () => random.randomRangeFloat(-Number.MAX_VALUE, Number.MAX_VALUE),
    () => random.randomBool(-0.1),
    () => random.randomBool(1.1),
    () => random.randomBool(Number.NaN),
  ];
  for (const call of bad) assert.throws(call, RangeError, call.toString());
});
