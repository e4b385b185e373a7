import { allocateBytes, type UID } from '@moonpool/core';
import { readToken, writeToken } from '../wire/token-codec.js';
import { REPLY_ERROR_KINDS, ReplyError, type ReplyErrorKind } from './reply-error.js';

// The payloads of requests and replies. A request: one flag byte (1: a reply token follows), the
// reply token as two little-endian u64, then the request as the codec wrote it. A reply: one byte
// (0: the value as the codec wrote it follows; 1: an error kind byte and a UTF-8 message follow).
// Envelopes live only until framed: they come from the shared slabs (allocateBytes), which costs
// less than an array of their own.

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeRequest(replyTo: UID | null, request: Uint8Array): Uint8Array {
  const bytes = allocateBytes((replyTo === null ? 1 : 17) + request.length);
  if (replyTo !== null) {
    bytes[0] = 1;
    writeToken(bytes, 1, replyTo);
  }
  bytes.set(request, bytes.length - request.length);
  return bytes;
}

/** The reply token and the request's bytes; null when the payload is not a request. */
export function decodeRequest(payload: Uint8Array): { replyTo: UID | null; request: Uint8Array } | null {
  if (payload.length < 1) return null;
  if (payload[0] === 0) return { replyTo: null, request: payload.subarray(1) };
  if (payload[0] !== 1 || payload.length < 17) return null;
  return { replyTo: readToken(payload, 1), request: payload.subarray(17) };
}

export function encodeReplyValue(value: Uint8Array): Uint8Array {
  const bytes = allocateBytes(1 + value.length);
  bytes.set(value, 1);
  return bytes;
}

export function encodeReplyError(kind: ReplyErrorKind, message: string): Uint8Array {
  const text = encoder.encode(message);
  const bytes = new Uint8Array(2 + text.length);
  bytes[0] = 1;
  bytes[1] = REPLY_ERROR_KINDS.indexOf(kind);
  bytes.set(text, 2);
  return bytes;
}

/** The reply's value bytes, or the error it carries; a malformed reply is a `Serialization` error. */
export function decodeReply(payload: Uint8Array): Uint8Array | ReplyError {
  if (payload[0] === 0) return payload.subarray(1);
  const kind = payload[0] === 1 ? REPLY_ERROR_KINDS[payload[1] ?? -1] : undefined;
  if (kind === undefined) return new ReplyError('Serialization', 'a malformed reply arrived');
  return new ReplyError(kind, decoder.decode(payload.subarray(2)));
}
