import { toSeed } from '../kernel/rng.js';

const U64 = (1n << 64n) - 1n;

/** Base of the generated seed sequence unless the user sets one: runs are reproducible by default. */
export const DEFAULT_BASE_SEED = 0x6d6f6f6e706f6f6cn;

/** The i-th seed of the sequence starting at `base` (SplitMix64 output: well spread, never repeats). */
export function nthSeed(base: bigint, i: number): bigint {
  let z = (toSeed(base) + BigInt(i + 1) * 0x9e3779b97f4a7c15n) & U64;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & U64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & U64;
  return z ^ (z >> 31n);
}
