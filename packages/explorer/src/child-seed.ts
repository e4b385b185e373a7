import { joinU64, mul64, splitU64, U64 } from './u64-words.js';

const OFFSET_HI = 0xcbf29ce4;
const OFFSET_LO = 0x84222325;
/** FNV-1a-64's prime, 2^40 + 0x1b3. */
const PRIME_HI = 0x100;
const PRIME_LO = 0x1b3;

/** The FNV state after a mark's bytes, per mark (marks are assertion messages: few, reused). */
const markStates = new Map<string, readonly [number, number]>();
const MAX_CACHED_MARKS = 4096;
const encoder = new TextEncoder();

/**
 * Seed of child `index` of a split at `mark` in a timeline seeded with `parentSeed`: FNV-1a-64 over
 * the mark's UTF-8 bytes, then `^ parentSeed, * prime`, then `^ index, * prime`, as Moonpool derives them.
 * Computed on 32-bit halves (see `u64-words`); the same values as the BigInt formula.
 */
export function childSeed(mark: string, parentSeed: bigint, index: number): bigint {
  const [markHi, markLo] = markState(mark);
  splitU64(parentSeed);
  mul64(markHi ^ U64.hi, markLo ^ U64.lo, PRIME_HI, PRIME_LO);
  // `index` is a small non-negative integer; its high half is 0 below 2^32.
  const indexHi = Math.floor(index / 4294967296) >>> 0;
  mul64(U64.hi ^ indexHi, U64.lo ^ (index >>> 0), PRIME_HI, PRIME_LO);
  return joinU64(U64.hi, U64.lo);
}

function markState(mark: string): readonly [number, number] {
  const known = markStates.get(mark);
  if (known !== undefined) return known;
  let hi = OFFSET_HI;
  let lo = OFFSET_LO;
  for (const byte of encoder.encode(mark)) {
    mul64(hi, (lo ^ byte) >>> 0, PRIME_HI, PRIME_LO);
    hi = U64.hi;
    lo = U64.lo;
  }
  const state = [hi, lo] as const;
  if (markStates.size < MAX_CACHED_MARKS) markStates.set(mark, state);
  return state;
}
