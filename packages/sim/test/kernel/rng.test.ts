import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SimRng, toSeed } from '../../src/kernel/rng.js';

const U64_MAX = (1n << 64n) - 1n;

function draws(rng: SimRng, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(rng.nextU32());
  return out;
}

describe('SimRng', () => {
  it('gives the same sequence for the same seed', () => {
    assert.deepEqual(draws(new SimRng(42), 1000), draws(new SimRng(42), 1000));
    assert.deepEqual(draws(new SimRng(42n), 100), draws(new SimRng(42), 100));
    const a = new SimRng(7);
    const b = new SimRng(7);
    for (let i = 0; i < 200; i++) {
      assert.equal(a.random(), b.random());
      assert.equal(a.range(-50, 50), b.range(-50, 50));
      assert.equal(a.nextU64(), b.nextU64());
    }
  });

  it('gives different sequences for different seeds', () => {
    const sequences = new Set<string>();
    for (const seed of [0n, 1n, 2n, 3n, 1n << 32n, (1n << 32n) + 1n, U64_MAX, U64_MAX - 1n]) {
      sequences.add(draws(new SimRng(seed), 8).join(','));
    }
    assert.equal(sequences.size, 8);
    // Not merely shifted: the first draws of neighbouring seeds share nothing.
    const a = draws(new SimRng(1), 50);
    const b = draws(new SimRng(2), 50);
    assert.equal(a.filter((x) => b.includes(x)).length, 0);
  });

  it('produces 32-bit values that are not degenerate', () => {
    const values = draws(new SimRng(99), 10_000);
    for (const v of values) assert.ok(Number.isInteger(v) && v >= 0 && v < 2 ** 32, `${v}`);
    assert.ok(new Set(values).size > 9_990);
    const highBitSet = values.filter((v) => v >= 2 ** 31).length;
    assert.ok(highBitSet > 4_700 && highBitSet < 5_300, `high bit set ${highBitSet} times`);
  });

  it('counts every draw, whatever the kind', () => {
    const rng = new SimRng(5);
    assert.equal(rng.calls, 0);
    rng.nextU32();
    assert.equal(rng.calls, 1);
    rng.random();
    assert.equal(rng.calls, 2);
    rng.range(0, 10);
    assert.equal(rng.calls, 3);
    rng.rangeFloat(0, 1);
    assert.equal(rng.calls, 4);
    rng.bool(0.5);
    assert.equal(rng.calls, 5);
    rng.nextU64();
    assert.equal(rng.calls, 6, 'nextU64 is one counted call');
    assert.equal(rng.totalCalls, 6);
  });

  it('reseed restarts the count and equals a fresh generator', () => {
    const rng = new SimRng(11);
    draws(rng, 37);
    rng.reseed(12345);
    assert.equal(rng.calls, 0);
    assert.equal(rng.seed, 12345n);
    assert.equal(rng.totalCalls, 37);
    const fresh = new SimRng(12345);
    assert.deepEqual(draws(rng, 500), draws(fresh, 500));
    assert.equal(rng.calls, 500);
    assert.equal(rng.totalCalls, 537);
    // Reseeding with the original seed replays the original sequence from the start.
    rng.reseed(11);
    assert.deepEqual(draws(rng, 20), draws(new SimRng(11), 20));
    assert.equal(rng.totalCalls, 557);
  });

  it('fires a breakpoint exactly when the count is reached, before that draw, once', () => {
    const rng = new SimRng(3);
    const seen: number[] = [];
    rng.setBreakpoint(10, () => seen.push(rng.calls));
    draws(rng, 10);
    assert.deepEqual(seen, [], 'not before the 11th draw');
    rng.nextU32();
    assert.deepEqual(seen, [10]);
    draws(rng, 30);
    assert.deepEqual(seen, [10], 'fires only once');
  });

  it('a reseed inside the breakpoint applies to the draw that hit it', () => {
    const rng = new SimRng(3);
    rng.setBreakpoint(4, () => rng.reseed(777));
    draws(rng, 4);
    const next = draws(rng, 5);
    assert.deepEqual(next, draws(new SimRng(777), 5));
    assert.equal(rng.calls, 5);
    assert.equal(rng.totalCalls, 9);
  });

  it('clearing the breakpoint prevents it from firing', () => {
    const rng = new SimRng(3);
    let fired = 0;
    rng.setBreakpoint(2, () => fired++);
    rng.setBreakpoint(-1, null);
    draws(rng, 10);
    assert.equal(fired, 0);
  });

  it('keeps range, rangeFloat, random and bool within bounds', () => {
    const rng = new SimRng(2024);
    const seen = new Set<number>();
    for (let i = 0; i < 5000; i++) {
      const v = rng.range(-3, 4);
      assert.ok(Number.isInteger(v) && v >= -3 && v < 4, `range gave ${v}`);
      seen.add(v);
      const f = rng.rangeFloat(1.5, 2.5);
      assert.ok(f >= 1.5 && f < 2.5, `rangeFloat gave ${f}`);
      const r = rng.random();
      assert.ok(r >= 0 && r < 1, `random gave ${r}`);
    }
    assert.deepEqual(
      [...seen].sort((a, b) => a - b),
      [-3, -2, -1, 0, 1, 2, 3],
    );
    for (let i = 0; i < 1000; i++) {
      assert.equal(rng.range(9, 10), 9);
      assert.equal(rng.bool(0), false);
      assert.equal(rng.bool(1), true);
    }
    let trues = 0;
    for (let i = 0; i < 10_000; i++) if (rng.bool(0.3)) trues++;
    assert.ok(trues > 2700 && trues < 3300, `bool(0.3) true ${trues} times of 10000`);
    assert.throws(() => rng.range(5, 5), RangeError);
    assert.throws(() => rng.range(6, 5), RangeError);
    assert.throws(() => rng.rangeFloat(1, 1), RangeError);
  });

  it('accepts every unsigned 64-bit seed, bigint or safe number', () => {
    for (const seed of [0n, 1n, 2n ** 53n, 2n ** 63n, U64_MAX]) {
      const rng = new SimRng(seed);
      assert.equal(rng.seed, seed);
      assert.equal(toSeed(seed), seed);
      draws(rng, 3);
    }
    assert.equal(toSeed(Number.MAX_SAFE_INTEGER), BigInt(Number.MAX_SAFE_INTEGER));
    assert.equal(new SimRng(0).seed, 0n);
    // The top half of the seed matters.
    assert.notDeepEqual(draws(new SimRng(U64_MAX), 4), draws(new SimRng(U64_MAX >> 1n), 4));
    assert.notDeepEqual(draws(new SimRng(1n << 63n), 4), draws(new SimRng(0n), 4));
  });

  it('rejects negative, too large and non-integer seeds', () => {
    const bad: Array<bigint | number> = [
      -1,
      -1n,
      U64_MAX + 1n,
      2n ** 70n,
      1.5,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      2 ** 53,
    ];
    for (const seed of bad) {
      assert.throws(() => new SimRng(seed), RangeError, `seed ${String(seed)}`);
      assert.throws(() => toSeed(seed), RangeError, `seed ${String(seed)}`);
    }
    const rng = new SimRng(1);
    draws(rng, 3);
    assert.throws(() => rng.reseed(-5n), RangeError);
    assert.equal(rng.seed, 1n, 'a rejected reseed leaves the generator alone');
    assert.equal(rng.calls, 3);
  });
});
