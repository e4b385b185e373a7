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
  /** The bytes of `value`, in a new array the caller may keep; throws `CodecError` if it cannot. */
  encode(value: unknown): Uint8Array;
  /** The message `bytes` hold; throws `CodecError` for bytes it cannot read. */
  decode(bytes: Uint8Array): unknown;
  /**
   * Optional: `encode` into bytes that stay valid only until the codec's next call. The transport
   * copies them into the packet at once, so a codec that writes into a buffer of its own can skip
   * copying its result out of it.
   */
  encodeTransient?(value: unknown): Uint8Array;
}
