// Helpers for the wire tests: deterministic bytes, concatenation, feeding a reader in given chunk
// sizes, and generators (fast-check arbitraries) of tokens, payloads and chunkings.
import { UID } from '@moonpool/core';
import fc from 'fast-check';
import { MAX_PAYLOAD_SIZE, type Packet, PacketReader } from '../../src/index.js';

/** Deterministic pseudo-random bytes (xorshift32). */
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

export function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/** `stream` cut into chunks whose sizes cycle through `sizes` (each at least 1); fresh copies. */
export function chunked(stream: Uint8Array, sizes: readonly number[]): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let at = 0, i = 0; at < stream.length; i++) {
    const size = Math.max(1, sizes[i % sizes.length] ?? 1);
    chunks.push(stream.slice(at, at + size));
    at += size;
  }
  return chunks;
}

/** Pushes every chunk into a fresh reader, taking the packets after each push. */
export function readAll(chunks: readonly Uint8Array[]): { packets: Packet[]; reader: PacketReader } {
  const reader = new PacketReader();
  const packets: Packet[] = [];
  for (const chunk of chunks) {
    reader.push(chunk);
    for (let packet = reader.next(); packet !== null; packet = reader.next()) packets.push(packet);
  }
  return { packets, reader };
}

const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });

/** Any UID, with the edges (0, 2^64 - 1, well-known tokens) drawn often. */
export const tokenArb: fc.Arbitrary<UID> = fc
  .tuple(
    fc.oneof(u64, fc.constantFrom(0n, 1n, (1n << 64n) - 1n)),
    fc.oneof(u64, fc.constantFrom(0n, 1n, 63n, (1n << 64n) - 1n)),
  )
  .map(([first, second]) => new UID(first, second));

/**
 * Payloads of any size up to the maximum: mostly short random ones, sometimes a long one (up to
 * exactly 1 MiB) filled with a pattern, since drawing a megabyte byte by byte would be slow.
 */
export const payloadArb: fc.Arbitrary<Uint8Array> = fc.oneof(
  { arbitrary: fc.uint8Array({ maxLength: 300 }), weight: 8 },
  {
    arbitrary: fc
      .tuple(fc.oneof(fc.integer({ min: 0, max: MAX_PAYLOAD_SIZE }), fc.constant(MAX_PAYLOAD_SIZE)), fc.nat())
      .map(([length, seed]) => patternBytes(length, seed)),
    weight: 1,
  },
);

/** Chunk sizes, cycled over a stream: from byte by byte to several packets at once. */
export const chunkSizesArb: fc.Arbitrary<number[]> = fc.array(
  fc.oneof(fc.integer({ min: 1, max: 32 }), fc.integer({ min: 1, max: 100_000 })),
  { minLength: 1, maxLength: 8 },
);
