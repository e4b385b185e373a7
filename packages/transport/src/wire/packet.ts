// The packet format (FoundationDB FlowTransport's): a 24-byte header, then the payload.
//   offset 0   length    u32 LE, the whole packet including the header
//   offset 4   checksum  u32 LE, CRC32C of bytes 8..length (the token and the payload)
//   offset 8   token     UID: `first` then `second`, each a u64 LE
// The checksum covers the token so that a corrupted destination is caught, not misrouted.
import { allocateBytes, type UID } from '@moonpool/core';
import { crc32cRange } from './crc32c.js';
import { readUint32LE, writeUint32LE } from './little-endian.js';
import { readToken, writeToken } from './token-codec.js';
import { WireError } from './wire-error.js';

/** Size of the packet header in bytes. */
export const HEADER_SIZE = 24;

/** The largest payload a packet may carry: 1 MiB. */
export const MAX_PAYLOAD_SIZE = 1024 * 1024;

const CHECKSUM_OFFSET = 4;
const TOKEN_OFFSET = 8;

/** A packet received: the token of the receiving endpoint and the payload for it. */
export interface Packet {
  /** The token of the endpoint the packet is addressed to. */
  readonly token: UID;
  /** The bytes after the header: a view into the received bytes, not a copy. */
  readonly payload: Uint8Array;
}

/**
 * Frames `payload` for `token` in one newly allocated array. Throws a `WireError` of kind
 * `PacketTooLarge` for a payload over `MAX_PAYLOAD_SIZE`. Small frames share their `buffer` with other
 * frames: send them, never transfer or detach their buffer.
 */
export function encodePacket(token: UID, payload: Uint8Array): Uint8Array {
  // `set` would take a string or an array of anything and write zeros: refuse it instead.
  if (!(payload instanceof Uint8Array)) {
    throw new TypeError(`encodePacket: the payload must be a Uint8Array, got ${describe(payload)}`);
  }
  const frame = startFrame(token, payload.length);
  frame.set(payload, HEADER_SIZE);
  return sealFrame(frame);
}

/**
 * A frame for `token` with room for a payload of `size` bytes at `HEADER_SIZE`: write the payload
 * there, then `sealFrame`. (A payload made of parts goes straight into its frame, with no array of
 * its own.) Throws a `WireError` of kind `PacketTooLarge` for a size over `MAX_PAYLOAD_SIZE`.
 */
export function startFrame(token: UID, size: number): Uint8Array {
  if (size > MAX_PAYLOAD_SIZE) throw WireError.packetTooLarge(size, MAX_PAYLOAD_SIZE);
  const length = HEADER_SIZE + size;
  const frame = allocateBytes(length);
  writeUint32LE(frame, 0, length);
  writeToken(frame, TOKEN_OFFSET, token);
  return frame;
}

/** Writes the checksum of a frame from `startFrame` whose payload is in place; returns the frame. */
export function sealFrame(frame: Uint8Array): Uint8Array {
  writeUint32LE(frame, CHECKSUM_OFFSET, crc32cRange(frame, TOKEN_OFFSET, frame.length));
  return frame;
}

/**
 * Parses the packet at the start of `bytes`. Returns it with the number of bytes it took, or the
 * `WireError` that stops the parse (returned, not thrown: waiting for more data is the common case).
 * The length field is checked as soon as its 4 bytes are there, so an announced size over the
 * maximum is refused before waiting for (or allocating) anything. The payload is a view into `bytes`.
 */
export function parsePacket(bytes: Uint8Array): { packet: Packet; consumed: number } | WireError {
  const available = bytes.length;
  if (available < 4) return WireError.insufficientData(available, HEADER_SIZE, 'header');
  const length = readUint32LE(bytes, 0);
  const invalid = checkLength(length);
  if (invalid !== null) return invalid;
  if (available < HEADER_SIZE) return WireError.insufficientData(available, HEADER_SIZE, 'header');
  if (available < length) return WireError.insufficientData(available, length, 'packet');
  const packet = decodeFrame(bytes, 0, length);
  return packet instanceof WireError ? packet : { packet, consumed: length };
}

/** The error a length field announces on its own, or null when it is acceptable. */
export function checkLength(length: number): WireError | null {
  if (length < HEADER_SIZE) return WireError.invalidLength(length, HEADER_SIZE);
  if (length - HEADER_SIZE > MAX_PAYLOAD_SIZE) {
    return WireError.packetTooLarge(length - HEADER_SIZE, MAX_PAYLOAD_SIZE);
  }
  return null;
}

/**
 * The packet in `bytes[at, at + length)`, whose length field has been checked, or its checksum
 * error. The payload is a view: nothing is copied.
 */
export function decodeFrame(bytes: Uint8Array, at: number, length: number): Packet | WireError {
  const expected = readUint32LE(bytes, at + CHECKSUM_OFFSET);
  const actual = crc32cRange(bytes, at + TOKEN_OFFSET, at + length);
  if (expected !== actual) return WireError.checksumMismatch(expected, actual);
  const token = readToken(bytes, at + TOKEN_OFFSET);
  // A view made from the buffer, not a `subarray`: on a Node `Buffer` that goes through the species
  // constructor and costs more than the whole parse.
  const payload = new Uint8Array(bytes.buffer, bytes.byteOffset + at + HEADER_SIZE, length - HEADER_SIZE);
  return { token, payload };
}

function describe(value: unknown): string {
  return value === null ? 'null' : typeof value === 'object' ? value.constructor?.name ?? 'an object' : typeof value;
}
