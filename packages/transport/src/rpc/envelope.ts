import type { UID } from '@moonpool/core';
import type { MessageCodec } from '../codec/message-codec.js';
import { HEADER_SIZE, sealFrame, startFrame } from '../wire/packet.js';
import { readToken, writeToken } from '../wire/token-codec.js';
import { REPLY_ERROR_KINDS, ReplyError, type ReplyErrorKind } from './reply-error.js';

// The payloads of requests and replies. A request: one flag byte (1: a reply token follows), the
// reply token as two little-endian u64, then the request as the codec wrote it. A reply: one byte
// (0: the value as the codec wrote it follows; 1: an error kind byte and a UTF-8 message follow).
// Envelopes are written straight into their packet's frame: no array of their own, one copy of the
// codec's bytes.

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * `value`'s bytes by `codec`, to be copied into a packet at once: they may be the codec's transient
 * bytes (`encodeTransient`), valid only until it encodes again.
 */
export function encodeForPacket(codec: MessageCodec, value: unknown): Uint8Array {
  return codec.encodeTransient !== undefined ? codec.encodeTransient(value) : codec.encode(value);
}

/** The packet of a request to `destination` (its reply awaited at `replyTo`, if any). */
export function frameRequest(destination: UID, replyTo: UID | null, request: Uint8Array): Uint8Array {
  const head = replyTo === null ? 1 : 17;
  const frame = startFrame(destination, head + request.length);
  if (replyTo !== null) {
    frame[HEADER_SIZE] = 1;
    writeToken(frame, HEADER_SIZE + 1, replyTo);
  }
  frame.set(request, HEADER_SIZE + head);
  return sealFrame(frame);
}

/** The reply token and the request's bytes; null when the payload is not a request. */
export function decodeRequest(payload: Uint8Array): { replyTo: UID | null; request: Uint8Array } | null {
  if (payload.length < 1) return null;
  if (payload[0] === 0) return { replyTo: null, request: payload.subarray(1) };
  if (payload[0] !== 1 || payload.length < 17) return null;
  return { replyTo: readToken(payload, 1), request: payload.subarray(17) };
}

/** The packet of a reply carrying `value` (the codec's bytes) to `destination`. */
export function frameReplyValue(destination: UID, value: Uint8Array): Uint8Array {
  const frame = startFrame(destination, 1 + value.length);
  frame.set(value, HEADER_SIZE + 1);
  return sealFrame(frame);
}

/** The packet of a reply carrying an error to `destination`. */
export function frameReplyError(destination: UID, kind: ReplyErrorKind, message: string): Uint8Array {
  const text = encoder.encode(message);
  const frame = startFrame(destination, 2 + text.length);
  frame[HEADER_SIZE] = 1;
  frame[HEADER_SIZE + 1] = REPLY_ERROR_KINDS.indexOf(kind);
  frame.set(text, HEADER_SIZE + 2);
  return sealFrame(frame);
}

/** The reply's value bytes, or the error it carries; a malformed reply is a `Serialization` error. */
export function decodeReply(payload: Uint8Array): Uint8Array | ReplyError {
  if (payload[0] === 0) return payload.subarray(1);
  const kind = payload[0] === 1 ? REPLY_ERROR_KINDS[payload[1] ?? -1] : undefined;
  if (kind === undefined) return new ReplyError('Serialization', 'a malformed reply arrived');
  return new ReplyError(kind, decoder.decode(payload.subarray(2)));
}
