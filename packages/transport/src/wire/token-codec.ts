// A token on the wire: `first` then `second`, each an unsigned 64-bit little-endian integer. Turning
// bytes into bigints and a UID costs as much as the rest of a small packet's parse, and a connection
// carries few distinct destinations (method tokens, ping), so recently read tokens are kept and reused:
// a UID is immutable, so sharing one is safe.
import { UID } from '@moonpool/core';
import { readUint32LE, writeUint32LE } from './little-endian.js';

/** The bigint halves go through this 16-byte scratch: one DataView, created once. */
const scratch = new DataView(new ArrayBuffer(16));

/** Writes `token`'s 16 bytes at `bytes[at]`. */
export function writeToken(bytes: Uint8Array, at: number, token: UID): void {
  scratch.setBigUint64(0, token.first, true);
  scratch.setBigUint64(8, token.second, true);
  for (let i = 0; i < 16; i += 4) writeUint32LE(bytes, at + i, scratch.getUint32(i, true));
}

/** A direct-mapped cache: 64 slots, so a handful of tokens rarely share one. */
const CACHE_SLOTS = 64;
/** Per slot: the token's four 32-bit words (the cache key) and its UID. */
const cachedWords = new Uint32Array(4 * CACHE_SLOTS);
const cachedTokens: (UID | null)[] = new Array<UID | null>(CACHE_SLOTS).fill(null);

/** Reads the token whose 16 bytes start at `bytes[at]`. */
export function readToken(bytes: Uint8Array, at: number): UID {
  const w0 = readUint32LE(bytes, at);
  const w1 = readUint32LE(bytes, at + 4);
  const w2 = readUint32LE(bytes, at + 8);
  const w3 = readUint32LE(bytes, at + 12);
  // Each word is multiplied by a different odd constant first: a plain XOR of the words cancels
  // patterns common in tokens (for one, `first` and `second` both counting up).
  const mixed = w0 ^ Math.imul(w1, 0x85ebca6b) ^ Math.imul(w2, 0xc2b2ae35) ^ Math.imul(w3, 0x27d4eb2f);
  const slot = Math.imul(mixed, 0x9e3779b1) >>> 26; // the top 6 bits: one of 64 slots
  const key = slot * 4;
  const cached = cachedTokens[slot];
  if (
    cached != null &&
    cachedWords[key] === w0 &&
    cachedWords[key + 1] === w1 &&
    cachedWords[key + 2] === w2 &&
    cachedWords[key + 3] === w3
  ) {
    return cached;
  }
  scratch.setUint32(0, w0, true);
  scratch.setUint32(4, w1, true);
  scratch.setUint32(8, w2, true);
  scratch.setUint32(12, w3, true);
  const token = new UID(scratch.getBigUint64(0, true), scratch.getBigUint64(8, true));
  cachedTokens[slot] = token;
  cachedWords[key] = w0;
  cachedWords[key + 1] = w1;
  cachedWords[key + 2] = w2;
  cachedWords[key + 3] = w3;
  return token;
}
