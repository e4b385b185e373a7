const U64_MAX = (1n << 64n) - 1n;

function checkU64(value: bigint, what: string): bigint {
  if (value < 0n || value > U64_MAX)
    throw new RangeError(`${what} must be an unsigned 64-bit integer`);
  return value;
}

/** A 128-bit unique identifier made of two unsigned 64-bit halves. */
export class UID {
  /** First half, in 0..2^64 - 1; 2^64 - 1 marks a well-known token. Compared before `second`. */
  readonly first: bigint;
  /** Second half, in 0..2^64 - 1; for a well-known token, its index. */
  readonly second: bigint;

  constructor(first: bigint, second: bigint) {
    this.first = checkU64(first, 'UID.first');
    this.second = checkU64(second, 'UID.second');
  }

  /** The UID of a well-known token: `first` = 2^64 - 1, `second` = the index. */
  static wellKnown(index: number): UID {
    return new UID(U64_MAX, BigInt(index));
  }

  /** True when `first` is 2^64 - 1, the mark of a well-known token. */
  isWellKnown(): boolean {
    return this.first === U64_MAX;
  }

  /** True when both halves are equal. */
  equals(other: UID): boolean {
    return this.first === other.first && this.second === other.second;
  }

  /** Total order: by `first`, then `second`. */
  compare(other: UID): number {
    if (this.first !== other.first) return this.first < other.first ? -1 : 1;
    if (this.second !== other.second) return this.second < other.second ? -1 : 1;
    return 0;
  }

  /** 32 lowercase hex digits: `first`, then `second`, each zero-padded to 16. */
  toString(): string {
    return `${this.first.toString(16).padStart(16, '0')}${this.second.toString(16).padStart(16, '0')}`;
  }
}
