import type { Endpoint, TimeProvider } from '@moonpool/core';
import { LinkedList, type ListNode } from '../collections/linked-list.js';
import type { NetTransport } from '../transport/net-transport.js';
import { DUE_WITHIN_MS, WakeUp } from './wake-up.js';

/** What a request in flight offers: to be failed when its endpoint is found missing or its time is up. */
export interface InFlightRequest {
  readonly endpoint: Endpoint;
  /** When it times out (`time.now()` ms; Infinity: never). */
  readonly deadline: number;
  notFound(): void;
  timedOut(): void;
}

/**
 * The requests in flight on one transport, and what ends them from outside: their endpoint being
 * found missing (one listener on the failure monitor serves them all) and their timeouts (one timer
 * for all, armed for the earliest deadline). Per request this is a list entry and a number, made and
 * dropped in a few nanoseconds: a wait in the failure monitor and a timer entry per request cost more
 * than the rest of a simulated round trip's bookkeeping together.
 *
 * The timer is not re-armed when the request it was armed for ends early: it fires at that time,
 * fails what is due (due within a microsecond counts, as a sleep rounded to the clock may wake a hair
 * early) and is armed again for the earliest deadline left, if any. So a transport with requests in
 * flight wakes at most once per deadline of the requests it armed for; closing it stops the timer.
 */
export class RequestsInFlight {
  private readonly requests = new LinkedList<InFlightRequest>();
  private readonly time: TimeProvider;
  private readonly timer: WakeUp;
  private closed = false;

  constructor(transport: NetTransport) {
    this.time = transport.providers.time;
    this.timer = new WakeUp(this.time, () => this.expire());
    const stop = transport.failureMonitor.watchEveryEndpointNotFound((endpoint) => this.notFound(endpoint));
    transport.onClose(() => {
      if (lastTransport === transport) lastTransport = lastRequests = null;
      stop();
      this.closed = true;
      this.timer.disarm();
    });
  }

  /** Adds a request; the node returned takes it out again. */
  add(request: InFlightRequest): ListNode<InFlightRequest> {
    if (request.deadline < this.timer.armedAt && !this.closed) this.timer.arm(request.deadline);
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

  private expire(): void {
    const now = this.time.now() + DUE_WITHIN_MS;
    let next = Number.POSITIVE_INFINITY;
    for (const request of this.requests.values()) {
      if (request.deadline <= now) request.timedOut();
      else if (request.deadline < next) next = request.deadline;
    }
    if (next < this.timer.armedAt && !this.closed) this.timer.arm(next);
  }
}

const inFlightOf = new WeakMap<NetTransport, RequestsInFlight>();

/** The last transport asked about and its requests: most processes ask about one transport only. */
let lastTransport: NetTransport | null = null;
let lastRequests: RequestsInFlight | null = null;

/** The requests in flight on `transport`, made on first use. */
export function requestsInFlight(transport: NetTransport): RequestsInFlight {
  if (transport === lastTransport) return lastRequests as RequestsInFlight;
  let requests = inFlightOf.get(transport);
  if (requests === undefined) inFlightOf.set(transport, (requests = new RequestsInFlight(transport)));
  lastTransport = transport;
  lastRequests = requests;
  return requests;
}
