// The public API of @moonpool/transport, by area.

// Codecs: messages to bytes and back (JSON by default)
export { CodecError } from './codec/codec-error.js';
export { jsonCodec } from './codec/json-codec.js';
export type { MessageCodec } from './codec/message-codec.js';

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
