/**
 * The alternatives a cycle has tried, as bits of a number for the first 32 (a replica set is
 * rarely larger) and bytes past them: no allocation per call in the common case.
 */
export class Tried {
  private low = 0;
  private high: Uint8Array | null;

  constructor(size: number) {
    this.high = size > 32 ? new Uint8Array(size - 32) : null;
  }

  has(i: number): boolean {
    return i < 32 ? (this.low & (1 << i)) !== 0 : (this.high as Uint8Array)[i - 32] === 1;
  }

  add(i: number): void {
    if (i < 32) this.low |= 1 << i;
    else (this.high as Uint8Array)[i - 32] = 1;
  }

  /** Forgets every alternative tried (a new cycle). */
  clear(): void {
    this.low = 0;
    this.high?.fill(0);
  }
}
