import type { RandomProvider } from '@moonpool/core';
import type { SimRng } from '../kernel/rng.js';

/** Randomness drawn from the simulation's one seeded generator. */
export class SimRandomProvider implements RandomProvider {
  /** Public for the state-machine runner, which must know that it draws from the world's generator. */
  constructor(readonly rng: SimRng) {}

  random(): number {
    return this.rng.random();
  }

  randomRange(lo: number, hi: number): number {
    if (!Number.isInteger(lo) || !Number.isInteger(hi)) {
      throw new RangeError(`randomRange takes integers, got [${lo}, ${hi})`);
    }
    return this.rng.range(lo, hi);
  }

  randomRangeFloat(lo: number, hi: number): number {
    return this.rng.rangeFloat(lo, hi);
  }

  randomRatio(): number {
    return this.rng.random();
  }

  randomBool(p: number): boolean {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`probability must be in [0, 1], got ${p}`);
    return this.rng.bool(p);
  }
}
