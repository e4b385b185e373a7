const MASK = (1n << 64n) - 1n;
const OFFSET_BASIS = 0xcbf29ce484222325n;
const PRIME = 0x100000001b3n;

/**
 * Seed of child `index` of a split at `mark` in a timeline seeded with `parentSeed`: FNV-1a-64 over
 * the mark's UTF-8 bytes, then `^ parentSeed, * prime`, then `^ index, * prime`, as Moonpool derives them.
 */
export function childSeed(mark: string, parentSeed: bigint, index: number): bigint {
  let h = OFFSET_BASIS;
  for (const byte of new TextEncoder().encode(mark)) h = ((h ^ BigInt(byte)) * PRIME) & MASK;
  h = ((h ^ parentSeed) * PRIME) & MASK;
  h = ((h ^ BigInt(index)) * PRIME) & MASK;
  return h;
}
