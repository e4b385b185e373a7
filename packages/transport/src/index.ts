// The public API of @moonpool/transport, by area.

// Wire format: packet header, CRC32C, streaming parser.
export { crc32c } from './wire/crc32c.js';
export { encodePacket, HEADER_SIZE, MAX_PAYLOAD_SIZE, type Packet, parsePacket } from './wire/packet.js';
export { PacketReader } from './wire/packet-reader.js';
export { WireError, type WireErrorDetails, type WireErrorKind } from './wire/wire-error.js';

// Endpoints: token routing and service method tokens.
export { EndpointMap } from './endpoints/endpoint-map.js';
export { methodToken } from './endpoints/method-token.js';
