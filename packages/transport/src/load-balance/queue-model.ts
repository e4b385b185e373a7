import type { Endpoint, TimeProvider } from '@moonpool/core';
import { checkEFoldingMs, DEFAULT_E_FOLDING_MS, Smoother } from './smoother.js';

/** What the model knows of one server (one interface at one address). */
export class QueueEntry {
  readonly outstanding: Smoother;
  /**
   * The latency of its last request that succeeded, in ms; NaN: none yet. (Not undefined: a field
   * that starts as a number is updated in place, one that starts undefined boxes every new value.)
   */
  latency = Number.NaN;

  constructor(time: TimeProvider, eFoldingMs: number) {
    this.outstanding = new Smoother(time, eFoldingMs);
  }
}

/**
 * The key of an endpoint's entry: its address and the high half (`first`) of its token. FoundationDB
 * keys by `first` alone, which there is random per interface instance; here a typed service's
 * method tokens are `UID(service id, index)`, the same `first` on every replica, so the address is
 * needed to tell replicas apart. The methods of one server's service still share an entry (one
 * queue, one server), as FoundationDB's interface endpoints do.
 */
export function modelKey(endpoint: Endpoint): string {
  let key = keys.get(endpoint);
  if (key === undefined) {
    key = `${endpoint.address.toString()}/${endpoint.token.first.toString(16)}`;
    keys.set(endpoint, key);
  }
  return key;
}

/** Computed once per endpoint object (endpoints are immutable and long-lived: clients hold them). */
const keys = new WeakMap<Endpoint, string>();

/**
 * A client's view of how busy each server is (FoundationDB's QueueModel): per server, the number of
 * its requests this client has out, smoothed over time (`Smoother`, e-folding time 1 s), and the
 * latency of the last one that succeeded. `loadBalance` sends to the alternative with the fewest
 * smoothed requests out; a server never used counts as zero. Share one model between the calls
 * that should see each other's load (typically one per client process).
 *
 * Requests are recorded with a `ModelHolder`, which releases them on every exit path.
 */
export class QueueModel {
  private readonly entries = new Map<string, QueueEntry>();

  constructor(
    /** The clock that requests' start, latency and smoothing are measured by. */
    readonly time: TimeProvider,
    options: { readonly eFoldingMs?: number } = {},
  ) {
    // Checked here rather than at the first request: a bad model is a bug of its maker.
    this.eFoldingMs = checkEFoldingMs(options.eFoldingMs ?? DEFAULT_E_FOLDING_MS);
  }

  /** The smoothing time of each server's count of requests out, in ms (> 0; default 1000). */
  readonly eFoldingMs: number;

  /** The smoothed count of requests out to `endpoint`'s server (0 for a server never used). */
  smoothedOutstanding(endpoint: Endpoint, now: number = this.time.now()): number {
    return this.smoothedByKey(modelKey(endpoint), now);
  }

  /** The count of requests out to `endpoint`'s server right now, unsmoothed. */
  outstanding(endpoint: Endpoint): number {
    return this.entries.get(modelKey(endpoint))?.outstanding.total ?? 0;
  }

  /** The latency of the last request to `endpoint`'s server that succeeded, in ms. */
  lastLatency(endpoint: Endpoint): number | undefined {
    const latency = this.entries.get(modelKey(endpoint))?.latency;
    return latency === undefined || Number.isNaN(latency) ? undefined : latency;
  }

  /** How many servers the model has seen. */
  get size(): number {
    return this.entries.size;
  }

  /** @internal By key (see `modelKey`): the load balancer's hot path. */
  smoothedByKey(key: string, now: number): number {
    const entry = this.entries.get(key);
    return entry === undefined ? 0 : entry.outstanding.smoothTotal(now);
  }

  /** @internal The entry of `key`, made on first use (only `ModelHolder` records requests). */
  entryFor(key: string): QueueEntry {
    let entry = this.entries.get(key);
    if (entry === undefined) this.entries.set(key, (entry = new QueueEntry(this.time, this.eFoldingMs)));
    return entry;
  }
}
