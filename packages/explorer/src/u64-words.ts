/**
 * 64-bit unsigned arithmetic on two 32-bit halves held in numbers: seeds are derived once per
 * timeline, and BigInt arithmetic there was a measurable part of a timeline's fixed cost.
 * Results land in `U64.hi` / `U64.lo` (no allocation).
 */
export const U64 = { hi: 0, lo: 0 };

const TWO_32 = 4294967296;

/** `(aHi:aLo * bHi:bLo) mod 2^64` into `U64`. */
export function mul64(aHi: number, aLo: number, bHi: number, bLo: number): void {
  const a0 = aLo & 0xffff;
  const a1 = aLo >>> 16;
  const b0 = bLo & 0xffff;
  const b1 = bLo >>> 16;
  // The full product of the low halves, from 16-bit pieces: every sum stays below 2^53 (exact).
  const mid = a1 * b0 + a0 * b1;
  const lo = a0 * b0 + (mid % 65536) * 65536;
  const hi = a1 * b1 + Math.floor(mid / 65536) + Math.floor(lo / TWO_32);
  U64.lo = lo >>> 0;
  U64.hi = (hi + Math.imul(aHi, bLo) + Math.imul(aLo, bHi)) >>> 0;
}

// Converts between a bigint and its halves through memory: no intermediate bigints (shifts and masks
// allocate one each, a measurable part of a timeline's fixed cost).
const WORDS = new DataView(new ArrayBuffer(8));

/** The halves of a 64-bit bigint into `U64`. */
export function splitU64(value: bigint): void {
  WORDS.setBigUint64(0, value);
  U64.hi = WORDS.getUint32(0);
  U64.lo = WORDS.getUint32(4);
}

/** The 64-bit bigint made of two unsigned 32-bit halves. */
export function joinU64(hi: number, lo: number): bigint {
  WORDS.setUint32(0, hi);
  WORDS.setUint32(4, lo);
  return WORDS.getBigUint64(0);
}
