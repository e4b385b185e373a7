// The public API of @moonpool/transport, by area.

// Codecs: messages to bytes and back (JSON by default)
export { CodecError } from './codec/codec-error.js';
export { jsonCodec } from './codec/json-codec.js';
export type { MessageCodec } from './codec/message-codec.js';
