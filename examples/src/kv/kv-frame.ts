import { crc32 } from 'node:zlib';

/**
 * Framing shared by the wire protocol and the write-ahead log: `u32 length | u32 crc32 | payload`,
 * big-endian. The checksum covers the length field and the payload, so a flipped length is caught
 * as surely as a flipped payload byte (the simulated network flips bits; disks tear writes).
 */
export const FRAME_HEADER_BYTES = 8;

/** Larger lengths can only come from corruption: keys and values here are a few bytes. */
export const MAX_PAYLOAD_BYTES = 64 * 1024;

/** The bytes did not form a valid frame: the stream or log cannot be trusted past this point. */
export class FrameError extends Error {
  override readonly name = 'FrameError';
}

/** Checksum of a frame: over the 4 length bytes, then the payload. */
function frameChecksum(header: Uint8Array, payload: Uint8Array): number {
  return crc32(payload, crc32(header.subarray(0, 4)));
}

export function encodeFrame(payload: Uint8Array): Uint8Array {
  if (payload.length > MAX_PAYLOAD_BYTES) throw new RangeError(`payload of ${payload.length} bytes is too large`);
  const frame = new Uint8Array(FRAME_HEADER_BYTES + payload.length);
  const view = new DataView(frame.buffer);
  view.setUint32(0, payload.length);
  frame.set(payload, FRAME_HEADER_BYTES);
  view.setUint32(4, frameChecksum(frame, payload));
  return frame;
}

/** What `decodeFrameAt` found at an offset. */
export type FrameAt =
  | { readonly kind: 'frame'; readonly payload: Uint8Array; readonly end: number }
  /** Not enough bytes yet (a stream: wait for more; a log: a torn tail). */
  | { readonly kind: 'incomplete' }
  | { readonly kind: 'corrupt'; readonly reason: string };

/** Decodes the frame starting at `offset` of `bytes` (the payload is a view into `bytes`). */
export function decodeFrameAt(bytes: Uint8Array, offset: number): FrameAt {
  if (bytes.length - offset < FRAME_HEADER_BYTES) return { kind: 'incomplete' };
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, FRAME_HEADER_BYTES);
  const length = view.getUint32(0);
  if (length > MAX_PAYLOAD_BYTES) return { kind: 'corrupt', reason: `implausible length ${length}` };
  const end = offset + FRAME_HEADER_BYTES + length;
  if (end > bytes.length) return { kind: 'incomplete' };
  const header = bytes.subarray(offset, offset + FRAME_HEADER_BYTES);
  const payload = bytes.subarray(offset + FRAME_HEADER_BYTES, end);
  if (view.getUint32(4) !== frameChecksum(header, payload)) {
    return { kind: 'corrupt', reason: 'checksum mismatch' };
  }
  return { kind: 'frame', payload, end };
}
