import type { Endpoint } from '@moonpool/core';
import { LinkedList, type ListNode } from '../collections/linked-list.js';
import type { NetTransport } from '../transport/net-transport.js';

/** What a request in flight offers to be failed by its endpoint's being found missing. */
export interface InFlightRequest {
  readonly endpoint: Endpoint;
  notFound(): void;
}

/**
 * The requests in flight on one transport. A request to an endpoint found missing fails at once; one
 * listener on the failure monitor serves them all (a wait per request, made and withdrawn every
 * round trip, cost more than the request's other bookkeeping together).
 */
export class RequestsInFlight {
  private readonly requests = new LinkedList<InFlightRequest>();

  constructor(transport: NetTransport) {
    const stop = transport.failureMonitor.watchEveryEndpointNotFound((endpoint) => this.notFound(endpoint));
    transport.onClose(stop);
  }

  /** Adds a request; the node returned takes it out again. */
  add(request: InFlightRequest): ListNode<InFlightRequest> {
    return this.requests.push(request);
  }

  delete(node: ListNode<InFlightRequest>): void {
    this.requests.remove(node);
  }

  private notFound(endpoint: Endpoint): void {
    const key = endpoint.toString();
    for (const request of this.requests.values()) {
      if (request.endpoint.toString() === key) request.notFound();
    }
  }
}

const inFlightOf = new WeakMap<NetTransport, RequestsInFlight>();

/** The requests in flight on `transport`, made on first use. */
export function requestsInFlight(transport: NetTransport): RequestsInFlight {
  let requests = inFlightOf.get(transport);
  if (requests === undefined) inFlightOf.set(transport, (requests = new RequestsInFlight(transport)));
  return requests;
}
