import { encodeFrame, FrameError } from '../kv/kv-frame.js';
import { decodeRequest, encodeRequest } from '../kv/kv-messages.js';

/** One logged mutation: SET `key` to `value`, or DELETE it when `value` is null. */
export interface WalEntry {
  /** Position in the log file: 1, 2, 3, … with no gap (restarting at 1 in a compacted file). */
  readonly seq: number;
  readonly key: string;
  readonly value: string | null;
}

/**
 * A log record is a frame (`u32 length | u32 crc32 | payload`) whose payload is the mutation
 * encoded as a KV request carrying the sequence number in its request-id field.
 */
export function encodeEntry({ seq, key, value }: WalEntry): Uint8Array {
  const request = value === null ? { op: 'delete', id: seq, key } as const : { op: 'set', id: seq, key, value } as const;
  return encodeFrame(encodeRequest(request));
}

/** The entry in a record's payload; throws FrameError if it is not a mutation. */
export function decodeEntry(payload: Uint8Array): WalEntry {
  const request = decodeRequest(payload);
  if (request.op === 'get') throw new FrameError('a GET in the log');
  return { seq: request.id, key: request.key, value: request.op === 'set' ? request.value : null };
}
