import { fnv1a32 } from './fnv.js';

/** Bits per timeline bitmap (and in the explored map). */
export const COVERAGE_BITS = 8192;
const WORDS = COVERAGE_BITS / 32;

/** The coverage-bitmap bit of a mark (or of `mark \0 bucketKey` for an each-bucket). */
export function coverageBit(mark: string, bucket?: string): number {
  return fnv1a32(bucket === undefined ? mark : `${mark}\u0000${bucket}`) % COVERAGE_BITS;
}

/** A fixed 8192-bit set: what one timeline discovered. */
export class CoverageBitmap {
  readonly words = new Uint32Array(WORDS);
  /** The set bits, each once, in the order they were set: a timeline sets few, so they travel as this list. */
  private readonly setBits: number[] = [];

  set(bit: number): void {
    const w = bit >>> 5;
    const word = this.words[w] as number;
    const mask = 1 << (bit & 31);
    if ((word & mask) !== 0) return;
    this.words[w] = word | mask;
    this.setBits.push(bit);
  }

  /** The set bits (each once, in the order they were set): read, do not keep. */
  get bits(): readonly number[] {
    return this.setBits;
  }

  has(bit: number): boolean {
    return (((this.words[bit >>> 5] as number) >>> (bit & 31)) & 1) === 1;
  }

  /** ORs this bitmap's bits into `other`. */
  orInto(other: CoverageBitmap): void {
    for (const bit of this.setBits) other.set(bit);
  }

  /** Whether any bit here is missing from `explored` (`this & ~explored` is not empty). */
  hasBitsNotIn(explored: CoverageBitmap): boolean {
    const other = explored.words;
    const own = this.words;
    for (let i = 0; i < WORDS; i++) {
      if (((own[i] as number) & ~(other[i] as number)) !== 0) return true;
    }
    return false;
  }

  count(): number {
    return countSetBits(this.words);
  }

  /** Clears the words of the set bits (every bit is set through `set`). */
  clear(): void {
    if (this.setBits.length === 0) return;
    for (const bit of this.setBits) this.words[bit >>> 5] = 0;
    this.setBits.length = 0;
  }

  copyFrom(other: CoverageBitmap): void {
    this.words.set(other.words);
    this.setBits.length = 0;
    for (const bit of other.setBits) this.setBits.push(bit);
  }
}

/** Set bits in all of `words` (32-bit words, or bytes: any unsigned values below 2^32). */
export function countSetBits(words: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < words.length; i++) n += popcount32(words[i] as number);
  return n;
}

function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}
