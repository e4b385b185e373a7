import type { StandardSchemaV1 } from '@standard-schema/spec';
import { describeValue } from './describe-value.js';

/**
 * The four types of a method, carried by its definition for the type helpers (`RequestOf`…). With a
 * schema that transforms, what is sent (its input) differs from what is received (its output);
 * without schemas, or with schemas that only check, each input type equals its output type.
 */
export interface MethodTypes<TRequest, TResponse, TRequestInput, TResponseInput> {
  /** What a handler receives: the request once validated (the request schema's output). */
  readonly request: TRequest;
  /** What a client receives: the response once validated (the response schema's output). */
  readonly response: TResponse;
  /** What a client sends (the request schema's input). */
  readonly requestInput: TRequestInput;
  /** What a handler returns (the response schema's input). */
  readonly responseInput: TResponseInput;
}

/** One method of a service: its request and response types and, optionally, runtime schemas. */
export interface MethodDefinition<
  TRequest = unknown,
  TResponse = unknown,
  TRequestInput = TRequest,
  TResponseInput = TResponse,
> {
  /** Validates requests where they are received (on the server); undefined: no runtime check. */
  readonly requestSchema: StandardSchemaV1<TRequestInput, TRequest> | undefined;
  /** Validates responses where they are received (on the client); undefined: no runtime check. */
  readonly responseSchema: StandardSchemaV1<TResponseInput, TResponse> | undefined;
  /** Types only: never present at run time (named like Standard Schema's `~standard`). */
  readonly '~types'?: MethodTypes<TRequest, TResponse, TRequestInput, TResponseInput>;
}

/** The schemas `method()` takes; either may be left out. */
export interface MethodSchemas<TRequest, TResponse, TRequestInput, TResponseInput> {
  /** Checks requests on the server and gives their type; left out: no runtime check. */
  readonly request?: StandardSchemaV1<TRequestInput, TRequest> | undefined;
  /** Checks responses on the client and gives their type; left out: no runtime check. */
  readonly response?: StandardSchemaV1<TResponseInput, TResponse> | undefined;
}

/** The objects `method()` made: `defineService` accepts these and nothing else. */
const madeByMethod = new WeakSet<object>();

/**
 * Declares a method. Its types come from Standard Schema v1 schemas (zod 4, valibot, arktype…),
 * which also validate at run time, or from type arguments alone:
 *
 * ```ts
 * add: method({ request: AddRequest, response: AddResponse }),
 * negate: method<{ n: number }, { n: number }>(),
 * ```
 *
 * A missing schema means no runtime check on that side; give both type arguments to type it
 * (`method<Req, Res>({ request: ReqSchema })`), else it is `unknown`.
 */
export function method<TRequest = unknown, TResponse = unknown, TRequestInput = TRequest, TResponseInput = TResponse>(
  schemas?: MethodSchemas<TRequest, TResponse, TRequestInput, TResponseInput>,
): MethodDefinition<TRequest, TResponse, TRequestInput, TResponseInput> {
  if (schemas !== undefined && (typeof schemas !== 'object' || schemas === null || Array.isArray(schemas)))
    throw new TypeError(`method() takes { request?, response? } (Standard Schema objects), not ${describeValue(schemas)}`);
  for (const key of Object.keys(schemas ?? {})) {
    if (key !== 'request' && key !== 'response')
      throw new TypeError(`method() takes { request?, response? }: unknown option '${key}'`);
  }
  const definition: MethodDefinition<TRequest, TResponse, TRequestInput, TResponseInput> = Object.freeze({
    requestSchema: checkSchema(schemas?.request, 'request'),
    responseSchema: checkSchema(schemas?.response, 'response'),
  });
  markAsMethod(definition);
  return definition;
}

/** Whether `value` was made by `method()` (or is a method of a service definition). */
export function isMethodDefinition(value: unknown): value is MethodDefinition {
  return typeof value === 'object' && value !== null && madeByMethod.has(value);
}

/** Lets a service's own method objects be reused in another definition (a v2 that extends a v1). */
export function markAsMethod(value: MethodDefinition): void {
  madeByMethod.add(value);
}

function checkSchema<T extends StandardSchemaV1 | undefined>(schema: T, side: string): T {
  if (schema === undefined) return schema;
  const props: unknown = typeof schema === 'object' || typeof schema === 'function'
    ? (schema as { '~standard'?: unknown })['~standard']
    : undefined;
  if (
    typeof props !== 'object' || props === null ||
    (props as { version?: unknown }).version !== 1 ||
    typeof (props as { validate?: unknown }).validate !== 'function'
  ) {
    throw new TypeError(
      `method(): the ${side} schema is not a Standard Schema v1 (an object whose '~standard' has version 1 and a validate function); got ${describeValue(schema)}`,
    );
  }
  return schema;
}
