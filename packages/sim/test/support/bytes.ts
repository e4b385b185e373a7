// Byte helpers shared by the tests that send data: text to bytes and back, concatenation, a
// deterministic pattern and the number of bits that differ between two buffers.

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The UTF-8 bytes of `s`. */
export const bytes = (s: string): Uint8Array => encoder.encode(s);

/** `b` decoded as UTF-8. */
export const text = (b: Uint8Array): string => decoder.decode(b);

/** Deterministic pseudo-random bytes (not from the simulation's generator: no draws are consumed). */
export function patternBytes(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** Concatenates chunks. */
export function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

/** Number of differing bits between two equally long buffers. */
export function hammingDistance(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) throw new RangeError(`lengths differ: ${a.length} vs ${b.length}`);
  let bits = 0;
  for (let i = 0; i < a.length; i++) {
    let x = (a[i] as number) ^ (b[i] as number);
    while (x !== 0) {
      bits += x & 1;
      x >>>= 1;
    }
  }
  return bits;
}
