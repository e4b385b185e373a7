export const U64_MASK = (1n << 64n) - 1n;
const GOLDEN_GAMMA = 0x9e3779b97f4a7c15n;

/**
 * One step of SplitMix64: advances a 64-bit state by the golden gamma and returns the new state
 * with its well-mixed output. Seeds the generator and spreads the run's seed sequence.
 */
export function splitMix64(state: bigint): [next: bigint, output: bigint] {
  const next = (state + GOLDEN_GAMMA) & U64_MASK;
  let z = next;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & U64_MASK;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & U64_MASK;
  return [next, z ^ (z >> 31n)];
}

/** The `i`-th output of SplitMix64 started from `state` (i = 0 is the first step's output). */
export function splitMix64At(state: bigint, i: number): bigint {
  return splitMix64((state + BigInt(i) * GOLDEN_GAMMA) & U64_MASK)[1];
}
