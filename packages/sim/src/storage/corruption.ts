import type { SimRng } from '../kernel/rng.js';

/** Flips one random bit of `data` in place (a non-empty copy the caller owns); returns its index. */
export function flipRandomBit(data: Uint8Array, rng: SimRng): number {
  const bit = rng.range(0, data.length * 8);
  const index = bit >>> 3;
  data[index] = (data[index] as number) ^ (1 << (bit & 7));
  return index;
}

/**
 * A uniformly chosen offset in [0, bound] other than `position` (which must lie in that range, with
 * bound >= 1): where a misdirected read or write goes. Staying within the file's extent (plus at most
 * one write length past it) keeps the damage realistic: a wrong block of the same file.
 */
export function otherOffset(rng: SimRng, position: number, bound: number): number {
  const pick = rng.range(0, bound);
  return pick < position ? pick : pick + 1;
}
