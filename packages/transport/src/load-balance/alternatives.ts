import type { Endpoint } from '@moonpool/core';
import { ServiceEndpoint } from '../rpc/service-endpoint.js';
import { MethodClient } from '../service/service-client.js';
import type { FailureMonitor } from '../transport/failure-monitor.js';
import type { NetTransport } from '../transport/net-transport.js';
import { type Distance, distanceName, isDistance } from './distance.js';
import { modelKey } from './queue-model.js';

/**
 * What a load-balanced call is sent to: what users already hold for one method of one server, a
 * typed `MethodClient` (`serviceClient(...).method`, the response validated) or a raw
 * `ServiceEndpoint`.
 */
export type LoadBalanceTarget<Req, Res> = ServiceEndpoint<Req, Res> | MethodClient<Req, Res>;

/** One alternative as given to `Alternatives.of`. */
export interface Alternative<Req, Res> {
  /** The method of one server that the request may be sent to. */
  readonly target: LoadBalanceTarget<Req, Res>;
  /** How far that server is from the caller; closer alternatives are tried first. */
  readonly distance: Distance;
}

/**
 * The servers one request may go to, each tagged with its distance, sorted closest first (the order
 * given is kept within a distance). `countBest` alternatives share the closest distance. Made once
 * (per replica set and method) and reused by every call: everything a call needs about an
 * alternative is worked out here, not per call.
 */
export class Alternatives<Req, Res> {
  /** How many alternatives share the closest distance (0 when there are none). */
  readonly countBest: number;
  /** The transport every alternative sends through (null when there are none). */
  readonly transport: NetTransport | null;
  private readonly targets: readonly LoadBalanceTarget<Req, Res>[];
  private readonly distances: readonly Distance[];
  private readonly endpoints: readonly Endpoint[];
  /** For the failure monitor's address lookups, which key by text. */
  private readonly addresses: readonly string[];
  /** @internal The queue model's keys (see `modelKey`), for the choice. */
  readonly keys: readonly string[];
  /** Stable endpoints (a typed service's) are failed by their address only, never marked gone. */
  private readonly stable: readonly boolean[];

  private constructor(entries: readonly Alternative<Req, Res>[]) {
    const sorted = entries
      .map((entry, index) => ({ entry, index }))
      .sort((a, b) => a.entry.distance - b.entry.distance || a.index - b.index)
      .map(({ entry }) => entry);
    this.targets = sorted.map((e) => e.target);
    this.distances = sorted.map((e) => e.distance);
    const services = this.targets.map((t) => (t instanceof MethodClient ? t.endpoint : t));
    this.endpoints = services.map((s) => s.endpoint);
    this.addresses = this.endpoints.map((e) => e.address.toString());
    this.keys = this.endpoints.map(modelKey);
    this.stable = services.map((s) => s.options.stable === true);
    const first = this.distances[0];
    this.countBest = first === undefined ? 0 : this.distances.filter((d) => d === first).length;
    this.transport = services[0]?.transport ?? null;
    Object.freeze(this);
  }

  /**
   * The alternatives, sorted closest first. Each target must be a `ServiceEndpoint` or a
   * `MethodClient`, all on one transport; each distance one of `Distance`'s. No alternatives is
   * allowed here (a replica set may be empty for a while); `loadBalance` refuses it.
   */
  static of<Req, Res>(alternatives: Iterable<Alternative<Req, Res>>): Alternatives<Req, Res> {
    const entries = [...alternatives];
    let transport: NetTransport | undefined;
    entries.forEach((entry, i) => {
      const target: unknown = entry?.target;
      if (!(target instanceof ServiceEndpoint) && !(target instanceof MethodClient)) {
        throw new TypeError(
          `alternative ${i}: the target must be a ServiceEndpoint or a MethodClient (serviceClient(...).method), got ${describe(target)}`,
        );
      }
      if (!isDistance(entry.distance)) {
        throw new RangeError(
          `alternative ${i}: distance must be Distance.SameMachine, SameDc or Remote, got ${String(entry.distance)}`,
        );
      }
      const own = target instanceof MethodClient ? target.endpoint.transport : target.transport;
      if (transport === undefined) transport = own;
      else if (own !== transport) {
        throw new TypeError(`alternative ${i} sends through another transport than alternative 0: use one per client`);
      }
    });
    return new Alternatives(entries);
  }

  /** How many alternatives there are (0 is allowed). */
  get size(): number {
    return this.targets.length;
  }

  /** The `i`-th closest alternative's target (RangeError out of range). */
  target(i: number): LoadBalanceTarget<Req, Res> {
    return this.targets[this.check(i)] as LoadBalanceTarget<Req, Res>;
  }

  /** The `i`-th closest alternative's distance (RangeError out of range). */
  distance(i: number): Distance {
    return this.distances[this.check(i)] as Distance;
  }

  /** The endpoint the `i`-th closest alternative sends to (RangeError out of range). */
  endpoint(i: number): Endpoint {
    return this.endpoints[this.check(i)] as Endpoint;
  }

  /**
   * Whether the `i`-th alternative is known failed right now: its address was reported failed (or,
   * for an endpoint that is not stable, it was found missing). An address never contacted is not
   * known failed: it is worth a try.
   */
  isKnownFailed(i: number, monitor: FailureMonitor): boolean {
    return (
      monitor.isAddressKnownFailed(this.addresses[i] as string) ||
      (this.stable[i] !== true && monitor.isPermanentlyFailed(this.endpoints[i] as Endpoint))
    );
  }

  /** Each alternative with its distance, closest first. */
  *[Symbol.iterator](): IterableIterator<Alternative<Req, Res>> {
    for (let i = 0; i < this.targets.length; i++) {
      yield { target: this.targets[i] as LoadBalanceTarget<Req, Res>, distance: this.distances[i] as Distance };
    }
  }

  /** Each endpoint with its distance's name, closest first, for logs and errors. */
  toString(): string {
    const parts = this.endpoints.map((e, i) => `${e.toString()} (${distanceName(this.distances[i] as Distance)})`);
    return `Alternatives [${parts.join(', ')}]`;
  }

  /** @internal Unchecked, for the load balancer's loop. */
  distanceAt(i: number): number {
    return this.distances[i] as number;
  }

  /** @internal Unchecked, for the load balancer's loop. */
  targetAt(i: number): LoadBalanceTarget<Req, Res> {
    return this.targets[i] as LoadBalanceTarget<Req, Res>;
  }

  /** @internal Unchecked, for the load balancer's loop. */
  endpointAt(i: number): Endpoint {
    return this.endpoints[i] as Endpoint;
  }

  private check(i: number): number {
    if (!Number.isInteger(i) || i < 0 || i >= this.targets.length) {
      throw new RangeError(`no alternative ${i}: there are ${this.targets.length}`);
    }
    return i;
  }
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'object') return `an object (${value.constructor?.name ?? 'no prototype'})`;
  return typeof value;
}
