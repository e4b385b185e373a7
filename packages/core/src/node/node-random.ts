import { randomFillSync, randomInt } from 'node:crypto';
import type { RandomProvider } from '../providers/random.js';

/** crypto.randomInt only accepts ranges below 2^48. */
const RANDOM_INT_SPAN = 2 ** 48;
const U64_RANGE = 1n << 64n;

function checkRange(lo: number, hi: number, what: string): void {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) {
    throw new RangeError(`${what}: bounds must be finite, got [${lo}, ${hi})`);
  }
  if (!(lo < hi)) throw new RangeError(`${what}: lo must be below hi, got [${lo}, ${hi})`);
}

/** Randomness from node:crypto (never Math.random). */
export class NodeRandomProvider implements RandomProvider {
  readonly #words = new Uint32Array(2);
  readonly #bytes = new BigUint64Array(1);

  random(): number {
    // 53 random bits, the full precision of a double in [0, 1).
    randomFillSync(this.#words);
    const high = (this.#words[0] ?? 0) >>> 5;
    const low = (this.#words[1] ?? 0) >>> 6;
    return (high * 2 ** 26 + low) / 2 ** 53;
  }

  randomRange(lo: number, hi: number): number {
    checkRange(lo, hi, 'randomRange');
    if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi)) {
      throw new RangeError(`randomRange: bounds must be safe integers, got [${lo}, ${hi})`);
    }
    if (hi - lo < RANDOM_INT_SPAN) return randomInt(lo, hi);
    // Wider ranges: rejection sampling over 64 random bits keeps the result exactly uniform.
    const span = BigInt(hi) - BigInt(lo);
    const limit = U64_RANGE - (U64_RANGE % span);
    for (;;) {
      randomFillSync(this.#bytes);
      const value = this.#bytes[0] ?? 0n;
      if (value < limit) return lo + Number(value % span);
    }
  }

  randomRangeFloat(lo: number, hi: number): number {
    checkRange(lo, hi, 'randomRangeFloat');
    const span = hi - lo;
    if (!Number.isFinite(span))
      throw new RangeError(`randomRangeFloat: range [${lo}, ${hi}) too wide`);
    for (;;) {
      // Rounding can land exactly on hi; draw again to keep the interval half-open.
      const value = lo + this.random() * span;
      if (value < hi) return value;
    }
  }

  randomRatio(): number {
    return this.random();
  }

  randomBool(p: number): boolean {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`randomBool: p must be in [0, 1], got ${p}`);
    return p === 1 || this.random() < p;
  }
}
