// The public API of @moonpool/transport, by area.

// Wire format: packet header, CRC32C, streaming parser
export { crc32c } from './wire/crc32c.js';
export { encodePacket, HEADER_SIZE, MAX_PAYLOAD_SIZE, type Packet, parsePacket } from './wire/packet.js';
export { PacketReader } from './wire/packet-reader.js';
export { WireError, type WireErrorDetails, type WireErrorKind } from './wire/wire-error.js';

// Endpoints: token routing and service method tokens
export { EndpointMap } from './endpoints/endpoint-map.js';
export { methodToken } from './endpoints/method-token.js';

// Codecs: messages to bytes and back (JSON by default)
export { CodecError } from './codec/codec-error.js';
export { jsonCodec } from './codec/json-codec.js';
export type { MessageCodec } from './codec/message-codec.js';

// Peers: one logical connection per remote address
export { MessagingError, type MessagingErrorKind } from './peer/messaging-error.js';
export { MonitorConfig } from './peer/monitor-config.js';
export { Peer, type PeerEvents, type PeerProviders, type PeerState } from './peer/peer.js';
export { PeerConfig } from './peer/peer-config.js';
export type { PeerMetrics } from './peer/peer-metrics.js';
export type { ReliablePacket } from './peer/send-queue.js';

// The transport and its failure monitor
export { FailureMonitor, type FailureStatus, MAX_PERMANENTLY_FAILED } from './transport/failure-monitor.js';
export type { MessageReceiver } from './transport/message-receiver.js';
export { NetTransport, NetTransportBuilder } from './transport/net-transport.js';

// Requests and replies
export { DEFAULT_RPC_TIMEOUT_MS, ReplyError, type ReplyErrorKind } from './rpc/reply-error.js';
export { ReplyFuture, type ReplyFutureOptions } from './rpc/reply-future.js';
export { ReplyPromise } from './rpc/reply-promise.js';
export { type IncomingRequest, RequestStream, type StreamToken } from './rpc/request-stream.js';
export { type RequestOptions, ServiceEndpoint } from './rpc/service-endpoint.js';

// Service definitions: one definition (id, ordered methods, codec) for the typed server and client
export { defineService, type ServiceOptions } from './service/define-service.js';
export {
  isMethodDefinition,
  method,
  type MethodDefinition,
  type MethodSchemas,
  type MethodTypes,
} from './service/method.js';
export type { MethodRecord, ServiceDefinition, ServiceMethod, ServiceMethodOf } from './service/service-definition.js';
export type {
  AnyServiceDefinition,
  MethodNames,
  MethodOf,
  RequestInputOf,
  RequestOf,
  ResponseInputOf,
  ResponseOf,
} from './service/service-types.js';
export { validateRequest, validateResponse } from './service/validate.js';
export { formatIssues, type MessageDirection, ValidationError } from './service/validation-error.js';

// Typed services: server and client from one definition
export { type ServerHandle, serve, type ServiceHandlers } from './service/serve.js';
export { MethodClient, type ServiceClient, serviceClient } from './service/service-client.js';

// Fan-out: one request to many endpoints, all / a quorum / the first / every outcome
export { FanOutError, type FanOutErrorKind, type FanOutFailure } from './fan-out/fan-out-error.js';
export { fanOutAll } from './fan-out/fan-out-all.js';
export { fanOutAllPartial } from './fan-out/fan-out-all-partial.js';
export { fanOutQuorum } from './fan-out/fan-out-quorum.js';
export { fanOutRace } from './fan-out/fan-out-race.js';
export type { FanOutOptions, FanOutTarget } from './fan-out/fan-out-target.js';

// Load balancing (SPEC §6.7): alternatives by distance, the queue model, one request to the best
export { type Alternative, Alternatives, type LoadBalanceTarget } from './load-balance/alternatives.js';
export { AtMostOnce } from './load-balance/at-most-once.js';
export { Distance, distanceName } from './load-balance/distance.js';
export { loadBalance, type LoadBalanceOptions } from './load-balance/load-balance.js';
export { LoadBalanceConfig } from './load-balance/load-balance-config.js';
export { LoadBalanceError, type LoadBalanceErrorKind } from './load-balance/load-balance-error.js';
export { ModelHolder } from './load-balance/model-holder.js';
export { QueueModel } from './load-balance/queue-model.js';
export { DEFAULT_E_FOLDING_MS, Smoother } from './load-balance/smoother.js';
