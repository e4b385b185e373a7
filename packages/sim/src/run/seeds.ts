import { toSeed } from '../kernel/rng.js';
import { splitMix64At } from '../kernel/splitmix64.js';

/** Base of the generated seed sequence unless the user sets one: runs are reproducible by default. */
export const DEFAULT_BASE_SEED = 0x6d6f6f6e706f6f6cn;

/** The i-th seed of the sequence starting at `base` (SplitMix64 output: well spread, never repeats). */
export function nthSeed(base: bigint, i: number): bigint {
  return splitMix64At(toSeed(base), i);
}
