import { type UID, WellKnownToken, wellKnownUid } from '@moonpool/core';

/** The well-known token of the health monitor's messages; they never reach the application. */
export const PING_TOKEN: UID = wellKnownUid(WellKnownToken.Ping);

const PING = 0;
const PONG = 1;

/** A ping (or its pong) carrying a sequence number: 1 byte of kind, 4 bytes little-endian. */
export function pingPayload(sequence: number, pong = false): Uint8Array {
  const bytes = new Uint8Array(5);
  bytes[0] = pong ? PONG : PING;
  new DataView(bytes.buffer).setUint32(1, sequence >>> 0, true);
  return bytes;
}

/** The kind and sequence of a ping payload, or null when it is not one. */
export function readPing(payload: Uint8Array): { pong: boolean; sequence: number } | null {
  if (payload.length !== 5 || (payload[0] !== PING && payload[0] !== PONG)) return null;
  const sequence = new DataView(payload.buffer, payload.byteOffset, 5).getUint32(1, true);
  return { pong: payload[0] === PONG, sequence };
}
