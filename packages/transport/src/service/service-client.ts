import { describeError, Endpoint, NetworkAddress } from '@moonpool/core';
import { ReplyError } from '../rpc/reply-error.js';
import type { ReplyFuture } from '../rpc/reply-future.js';
import { type RequestOptions, ServiceEndpoint } from '../rpc/service-endpoint.js';
import type { NetTransport } from '../transport/net-transport.js';
import type { AnyServiceDefinition, MethodNames, RequestInputOf, ResponseOf } from './service-types.js';
import { validateResponse } from './validate.js';

/**
 * A client's handle on one method of a remote service: the four delivery modes, each returning the
 * response once validated by the method's response schema (a refused response is a `Serialization`
 * `ReplyError`). `sendRequest` gives the raw, unvalidated future.
 */
export class MethodClient<Req, Res> {
  constructor(
    /** The untyped endpoint of the method at the server's address that every call goes through. */
    readonly endpoint: ServiceEndpoint<Req, unknown>,
    private readonly check: (value: unknown) => Promise<Res>,
  ) {}

  /** Fire and forget: no reply, lost if the connection fails. Throws `MessagingError` (`QueueFull`, `Closed`). */
  send(request: Req): void {
    this.endpoint.send(request);
  }

  /** At most once: `MaybeDelivered` if the connection fails while the request is out (see `ServiceEndpoint`). */
  async tryGetReply(request: Req, options?: RequestOptions): Promise<Res> {
    return this.validated(await this.endpoint.tryGetReply(request, options));
  }

  /** At least once: resent after every reconnect until the reply comes; `Timeout` if it never does. */
  async getReply(request: Req, options?: RequestOptions): Promise<Res> {
    return this.validated(await this.endpoint.getReply(request, options));
  }

  /** At least once, but `MaybeDelivered` once the endpoint has been failed without a break for `failedForMs` ms. */
  async getReplyUnlessFailedFor(request: Req, failedForMs: number, options?: RequestOptions): Promise<Res> {
    return this.validated(await this.endpoint.getReplyUnlessFailedFor(request, failedForMs, options));
  }

  /** The raw future of one request (reliable unless `reliable: false`): no validation, no timeout of its own. */
  sendRequest(request: Req, options?: { reliable?: boolean; signal?: AbortSignal }): ReplyFuture<unknown> {
    return this.endpoint.sendRequest(request, options);
  }

  private async validated(value: unknown): Promise<Res> {
    try {
      return await this.check(value);
    } catch (err) {
      throw new ReplyError('Serialization', describeError(err, { stack: false }));
    }
  }
}

/** A typed client of a service at one address: one `MethodClient` per method, by name. */
export type ServiceClient<TService extends AnyServiceDefinition> = {
  readonly [K in MethodNames<TService>]: MethodClient<RequestInputOf<TService, K>, ResponseOf<TService, K>>;
};

/** A client of `service` served at `address` (`ip:port`), sending through `transport`. */
export function serviceClient<TService extends AnyServiceDefinition>(
  transport: NetTransport,
  service: TService,
  address: NetworkAddress | string,
): ServiceClient<TService> {
  const at = typeof address === 'string' ? NetworkAddress.parse(address) : address;
  const client: Record<string, MethodClient<unknown, unknown>> = Object.create(null) as Record<
    string,
    MethodClient<unknown, unknown>
  >;
  for (const method of service.methodList) {
    // Method tokens are fixed: a server that reboots serves them again (see ServiceEndpoint's `stable`).
    const endpoint = new ServiceEndpoint<unknown, unknown>(transport, new Endpoint(at, method.token), service.codec, {
      stable: true,
    });
    client[method.name] = new MethodClient(endpoint, (value) =>
      validateResponse(service, method.name as MethodNames<TService>, value),
    );
  }
  return Object.freeze(client) as ServiceClient<TService>;
}
