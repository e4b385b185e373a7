import { joinU64, mul64, splitU64, U64 } from '@moonpool/explorer';

export const U64_MASK = (1n << 64n) - 1n;
/** SplitMix64's increment, the golden gamma 0x9e3779b97f4a7c15, as 32-bit halves. */
const GAMMA_HI = 0x9e3779b9;
const GAMMA_LO = 0x7f4a7c15;

let lastState = -1n;
let lastHi = 0;
let lastLo = 0;

/** Where `splitMix64Words` leaves its results (no allocation). */
export const SPLIT = { nextHi: 0, nextLo: 0, outHi: 0, outLo: 0 };

/**
 * One step of SplitMix64 on the 32-bit halves of a 64-bit state: advances it by the golden gamma and
 * mixes the new state into the output. Seeds the generator (once per timeline: no BigInt here) and
 * spreads the run's seed sequence. The next state goes to `SPLIT.nextHi/nextLo`, the output to
 * `SPLIT.outHi/outLo`.
 */
export function splitMix64Words(hi: number, lo: number): void {
  let zLo = lo + GAMMA_LO;
  let zHi = (hi + GAMMA_HI + (zLo >= 4294967296 ? 1 : 0)) >>> 0;
  zLo >>>= 0;
  SPLIT.nextHi = zHi;
  SPLIT.nextLo = zLo;
  // z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
  mul64((zHi ^ (zHi >>> 30)) >>> 0, (zLo ^ ((zLo >>> 30) | (zHi << 2))) >>> 0, 0xbf58476d, 0x1ce4e5b9);
  zHi = U64.hi;
  zLo = U64.lo;
  // z = (z ^ (z >> 27)) * 0x94d049bb133111eb
  mul64((zHi ^ (zHi >>> 27)) >>> 0, (zLo ^ ((zLo >>> 27) | (zHi << 5))) >>> 0, 0x94d049bb, 0x133111eb);
  zHi = U64.hi;
  zLo = U64.lo;
  // z ^ (z >> 31)
  SPLIT.outHi = (zHi ^ (zHi >>> 31)) >>> 0;
  SPLIT.outLo = (zLo ^ ((zLo >>> 31) | (zHi << 1))) >>> 0;
}

/**
 * The `i`-th output of SplitMix64 started from `state` (i = 0 is the first step's output): the run's
 * seed sequence. BigInt only to convert in and out.
 */
export function splitMix64At(state: bigint, i: number): bigint {
  // A run asks for the i-th seed of one base again and again: its halves are kept.
  if (state !== lastState) {
    splitU64(state);
    lastState = state;
    lastHi = U64.hi;
    lastLo = U64.lo;
  }
  const hi = lastHi;
  const lo = lastLo;
  // state + i * gamma (mod 2^64); `i` is a non-negative safe integer.
  mul64(GAMMA_HI, GAMMA_LO, Math.floor(i / 4294967296) >>> 0, i >>> 0);
  const sumLo = lo + U64.lo;
  const sumHi = (hi + U64.hi + (sumLo >= 4294967296 ? 1 : 0)) >>> 0;
  splitMix64Words(sumHi, sumLo >>> 0);
  return joinU64(SPLIT.outHi, SPLIT.outLo);
}
