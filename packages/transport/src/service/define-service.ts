import { jsonCodec } from '../codec/json-codec.js';
import type { MessageCodec } from '../codec/message-codec.js';
import { isMethodDefinition, markAsMethod } from './method.js';
import { methodToken } from '../endpoints/method-token.js';
import type { MethodRecord, ServiceDefinition, ServiceMethod } from './service-definition.js';
import { describeValue } from './describe-value.js';

/** What `defineService` takes. */
export interface ServiceOptions<TMethods extends MethodRecord> {
  /** The service (interface) id: an unsigned 64-bit bigint, such as `0xCA1Cn`. */
  readonly id: bigint;
  /** The methods, each made by `method()`; their numbers follow this order from 1. */
  readonly methods: TMethods;
  /** How requests and responses become bytes; `jsonCodec` by default. */
  readonly codec?: MessageCodec | undefined;
  /** For errors and traces; the id in hex by default. */
  readonly name?: string | undefined;
}

const U64_MAX = (1n << 64n) - 1n;
const OPTIONS = new Set(['id', 'methods', 'codec', 'name']);
const INTEGER_LIKE = /^-?[0-9]+$/;

/**
 * Defines a service: its id, its ordered methods and its codec. The result is frozen; method `i`
 * (from 1, in declaration order) receives its requests at the token `UID(id, i)`. Adding methods
 * at the end keeps the numbers of the others, and so wire compatibility.
 *
 * ```ts
 * const Calculator = defineService({
 *   id: 0xCA1Cn,
 *   methods: {
 *     add: method({ request: AddRequest, response: AddResponse }),
 *     negate: method<{ n: number }, { n: number }>(),
 *   },
 * });
 * ```
 */
export function defineService<TMethods extends MethodRecord>(
  options: ServiceOptions<TMethods>,
): ServiceDefinition<TMethods> {
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    throw new TypeError(`defineService() takes { id, methods, codec?, name? }, not ${describeValue(options)}`);
  for (const key of Object.keys(options)) {
    if (!OPTIONS.has(key)) throw new TypeError(`defineService(): unknown option '${key}' (it takes id, methods, codec, name)`);
  }
  const id = checkId(options.id);
  const name = options.name === undefined ? `service 0x${id.toString(16)}` : checkName(options.name);
  const codec = options.codec === undefined ? jsonCodec : checkCodec(options.codec, name);
  const methodList = makeMethods(options.methods, id, name);
  // No prototype: looking up a name such as 'toString' finds no method.
  const methods = Object.create(null) as Record<string, ServiceMethod>;
  for (const m of methodList) methods[m.name] = m;
  Object.freeze(methods);
  return Object.freeze({
    id,
    name,
    codec,
    methods: methods as ServiceDefinition<TMethods>['methods'],
    methodList: Object.freeze(methodList),
  });
}

function checkId(id: unknown): bigint {
  if (typeof id !== 'bigint')
    throw new TypeError(`defineService(): id must be a bigint, such as 0xCA1Cn; got ${describeValue(id)}`);
  if (id < 0n || id > U64_MAX)
    throw new RangeError(`defineService(): id ${id} is not an unsigned 64-bit integer (0 to 2^64 - 1)`);
  if (id === U64_MAX) {
    throw new RangeError(
      'defineService(): id 2^64 - 1 is reserved: the tokens of well-known endpoints are UID(2^64 - 1, n), so method 1 of this service would be Ping',
    );
  }
  return id;
}

function checkName(name: unknown): string {
  if (typeof name !== 'string' || name === '')
    throw new TypeError(`defineService(): name must be a non-empty string; got ${describeValue(name)}`);
  return name;
}

function checkCodec(codec: unknown, service: string): MessageCodec {
  const c = codec as Partial<MessageCodec> | null;
  if (typeof c !== 'object' || c === null || typeof c.name !== 'string' || typeof c.encode !== 'function' || typeof c.decode !== 'function')
    throw new TypeError(`defineService(${service}): codec must be a MessageCodec ({ name, encode, decode }); got ${describeValue(codec)}`);
  return c as MessageCodec;
}

function makeMethods(methods: unknown, id: bigint, service: string): ServiceMethod[] {
  if (typeof methods !== 'object' || methods === null || Array.isArray(methods))
    throw new TypeError(`defineService(${service}): methods must be an object of method() declarations; got ${describeValue(methods)}`);
  const proto: unknown = Object.getPrototypeOf(methods);
  if (proto !== Object.prototype && proto !== null)
    throw new TypeError(`defineService(${service}): methods must be a plain object (an object literal), not a class instance`);
  if (Object.getOwnPropertySymbols(methods).length > 0)
    throw new TypeError(`defineService(${service}): method names must be strings, not symbols`);
  const names = Object.keys(methods);
  if (names.length === 0) throw new TypeError(`defineService(${service}): a service needs at least one method`);
  return names.map((name, i) => {
    checkMethodName(name, service);
    const declared: unknown = (methods as Record<string, unknown>)[name];
    if (!isMethodDefinition(declared)) {
      const hint = declared === undefined
        ? ''
        : typeof declared === 'function' ? ' (did you write method instead of method()?)' : '';
      throw new TypeError(
        `defineService(${service}): methods.${name} is not a method: declare it with method() or method({ request, response })${hint}; got ${describeValue(declared)}`,
      );
    }
    const index = i + 1;
    const made: ServiceMethod = Object.freeze({
      name,
      index,
      token: methodToken(id, index),
      requestSchema: declared.requestSchema,
      responseSchema: declared.responseSchema,
    });
    markAsMethod(made);
    return made;
  });
}

function checkMethodName(name: string, service: string): void {
  if (name === '') throw new TypeError(`defineService(${service}): a method name must not be empty`);
  if (INTEGER_LIKE.test(name)) {
    throw new TypeError(
      `defineService(${service}): method name '${name}' looks like an integer. JavaScript puts integer-like keys ` +
        "('0', '12') first in an object, whatever order they were written in, so the method numbers, which follow " +
        'declaration order, would not be the ones you wrote. Give the method a name that does not look like an integer.',
    );
  }
  if (name === 'then') {
    throw new TypeError(
      `defineService(${service}): 'then' cannot be a method name: a client object with a 'then' method looks like a promise, so awaiting or returning it from an async function would call it`,
    );
  }
  if (name === '__proto__') {
    throw new TypeError(
      `defineService(${service}): '__proto__' cannot be a method name: in an object literal it sets the prototype instead of adding a key`,
    );
  }
}
