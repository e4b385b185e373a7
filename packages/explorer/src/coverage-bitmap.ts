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

  set(bit: number): void {
    const w = bit >>> 5;
    this.words[w] = (this.words[w] as number) | (1 << (bit & 31));
  }

  has(bit: number): boolean {
    return (((this.words[bit >>> 5] as number) >>> (bit & 31)) & 1) === 1;
  }

  /** ORs this bitmap's bits into `other`. */
  orInto(other: CoverageBitmap): void {
    const dst = other.words;
    const src = this.words;
    for (let i = 0; i < WORDS; i++) dst[i] = (dst[i] as number) | (src[i] as number);
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
    let n = 0;
    for (let i = 0; i < WORDS; i++) n += popcount32(this.words[i] as number);
    return n;
  }

  clear(): void {
    this.words.fill(0);
  }

  copyFrom(other: CoverageBitmap): void {
    this.words.set(other.words);
  }
}

function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}
