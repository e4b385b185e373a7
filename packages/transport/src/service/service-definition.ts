import type { UID } from '@moonpool/core';
import type { MessageCodec } from '../codec/message-codec.js';
import type { MethodDefinition } from './method.js';

/** The methods of a definition, by name, in declaration order. */
export type MethodRecord = Readonly<Record<string, MethodDefinition>>;

/** A method as a service definition holds it: its schemas, name, number and token. */
export interface ServiceMethod<
  TName extends string = string,
  TRequest = unknown,
  TResponse = unknown,
  TRequestInput = TRequest,
  TResponseInput = TResponse,
> extends MethodDefinition<TRequest, TResponse, TRequestInput, TResponseInput> {
  /** The method's name: its key in the definition's `methods`. */
  readonly name: TName;
  /** Its number: 1 for the first method declared, then 2… (0 is reserved). */
  readonly index: number;
  /** Where its requests are sent: `UID(service id, index)`. */
  readonly token: UID;
}

/** The `ServiceMethod` a definition makes of `method()`'s result under the name `TName`. */
export type ServiceMethodOf<TName extends string, TMethod> =
  TMethod extends MethodDefinition<infer TRequest, infer TResponse, infer TRequestInput, infer TResponseInput>
    ? ServiceMethod<TName, TRequest, TResponse, TRequestInput, TResponseInput>
    : never;

/** What `defineService` returns (frozen): one value drives both the server and the client. */
export interface ServiceDefinition<TMethods extends MethodRecord = MethodRecord> {
  /** The service (interface) id, an unsigned 64-bit integer: the high half of its method tokens. */
  readonly id: bigint;
  /** For errors and traces: the `name` given, else the id in hex (`service 0xca1c`). */
  readonly name: string;
  /** Encodes and decodes the requests and responses of every method (default: the JSON codec). */
  readonly codec: MessageCodec;
  /** The methods by name (an object without prototype, keys in declaration order). */
  readonly methods: { readonly [K in keyof TMethods & string]: ServiceMethodOf<K, TMethods[K]> };
  /** The methods in declaration order: `methodList[i].index === i + 1`. */
  readonly methodList: readonly ServiceMethod[];
}
