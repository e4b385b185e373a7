/** Turns messages into bytes and back; throws `CodecError` on what it cannot represent or parse. */
export interface MessageCodec {
  readonly name: string;
  encode(value: unknown): Uint8Array;
  decode(bytes: Uint8Array): unknown;
}
