/**
 * Turns messages into bytes and back. A service's requests and responses go through its codec;
 * the wire format only ever sees the bytes.
 *
 * `encode` and `decode` throw `CodecError`, and nothing else, for a value they cannot represent
 * faithfully or bytes they cannot read: a codec is where untrusted input first meets typed code.
 */
export interface MessageCodec {
  /** A short name for traces and errors, such as `'json'`. */
  readonly name: string;
  encode(value: unknown): Uint8Array;
  decode(bytes: Uint8Array): unknown;
}
