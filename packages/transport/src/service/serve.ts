import { describeError } from '@moonpool/core';
import type { NetTransport } from '../transport/net-transport.js';
import { RequestStream } from '../rpc/request-stream.js';
import type { ReplyPromise } from '../rpc/reply-promise.js';
import type { ServiceMethod } from './service-definition.js';
import type { AnyServiceDefinition, MethodNames, RequestOf, ResponseInputOf } from './service-types.js';
import { validateRequest } from './validate.js';
import { ValidationError } from './validation-error.js';

/** One handler per method: it gets the validated request and returns the response (or a promise of it). */
export type ServiceHandlers<TService extends AnyServiceDefinition> = {
  readonly [K in MethodNames<TService>]: (
    request: RequestOf<TService, K>,
  ) => ResponseInputOf<TService, K> | Promise<ResponseInputOf<TService, K>>;
};

/** A running server: `stop()` ends it; requests not yet answered get `BrokenPromise`. */
export interface ServerHandle {
  /** Closes every method's request stream and ends its task; unanswered requests get `BrokenPromise`. */
  stop(): void;
  /** Requests being handled right now, over all methods. */
  readonly inFlight: number;
}

/**
 * Serves `service` on a listening transport: one request stream per method (at its method token)
 * and one task per method taking its requests. Each request is validated (a refused or undecodable
 * one is answered `Serialization`), handed to its handler, and answered with what the handler
 * returns; a handler that throws gives the request up (`BrokenPromise`). Handlers of one method run
 * concurrently: a slow request does not hold the next.
 */
export function serve<TService extends AnyServiceDefinition>(
  transport: NetTransport,
  service: TService,
  handlers: ServiceHandlers<TService>,
): ServerHandle {
  for (const method of service.methodList) {
    if (typeof (handlers as Record<string, unknown>)[method.name] !== 'function') {
      throw new TypeError(`serve(${service.name}): no handler for method '${method.name}'`);
    }
  }
  const streams: RequestStream<unknown, unknown>[] = [];
  let inFlight = 0;
  try {
    for (const method of service.methodList) {
      streams.push(new RequestStream(transport, { token: method.token }, service.codec));
    }
  } catch (err) {
    for (const stream of streams) stream.close();
    throw err;
  }
  const handle = async (method: ServiceMethod, raw: unknown, reply: ReplyPromise<unknown>): Promise<void> => {
    inFlight++;
    try {
      const handler = (handlers as Record<string, (request: unknown) => unknown>)[method.name] as (
        request: unknown,
      ) => unknown;
      let request: unknown;
      try {
        request = await validateRequest(service, method.name as MethodNames<TService>, raw);
      } catch (err) {
        reply.sendError('Serialization', err instanceof ValidationError ? err.message : String(err));
        return;
      }
      try {
        reply.send(await handler(request));
      } catch (err) {
        reply.abandon(`the handler of ${service.name}.${method.name} threw: ${describeError(err, { stack: false })}`);
      }
    } finally {
      inFlight--;
    }
  };
  streams.forEach((stream, i) => {
    const method = service.methodList[i] as ServiceMethod;
    transport.providers.task.spawn(`serve ${service.name}.${method.name}`, async () => {
      for (let item = await stream.next(); item !== null; item = await stream.next()) {
        const [request, reply] = item;
        void handle(method, request, reply);
      }
    });
  });
  return {
    stop: () => {
      for (const stream of streams) stream.close();
    },
    get inFlight() {
      return inFlight;
    },
  };
}
