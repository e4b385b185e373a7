import type { Endpoint, NetworkAddress, TimeProvider } from '@moonpool/core';

/** Whether an address (or endpoint) is reachable, as far as the transport has seen. */
export type FailureStatus = 'available' | 'failed';

/** Endpoints marked permanently failed are forgotten past this many (with a warning). */
export const MAX_PERMANENTLY_FAILED = 100_000;

type Address = NetworkAddress | string;

interface Waiter {
  /** The key of its table: an address, or an endpoint for "not found" waits. */
  readonly address: string;
  /** The endpoint waited on (null: the whole address). */
  readonly endpoint: string | null;
  readonly fire: () => void;
}

interface AddressState {
  status: FailureStatus;
  /** `time.now()` when the address last became failed. */
  since: number;
}

/**
 * FoundationDB's failure monitor, reactive only (it never probes): peers report when an address
 * becomes available or failed and when a connection drops; RPCs wait on its signals. An address
 * never seen counts as failed. An endpoint answered with "endpoint not found" is failed for good
 * (well-known endpoints exempt).
 */
export class FailureMonitor {
  private readonly addresses = new Map<string, AddressState>();
  private readonly permanentlyFailed = new Set<string>();
  /** Waiting for a failure or disconnection of an address. */
  private readonly failureWaiters = new Map<string, Set<Waiter>>();
  /** Waiting for any change of an address's status. */
  private readonly changeWaiters = new Map<string, Set<Waiter>>();
  /** Waiting for "endpoint not found", by endpoint. */
  private readonly notFoundWaiters = new Map<string, Set<Waiter>>();
  /** Told of every endpoint found missing (not one-shot). */
  private readonly notFoundListeners = new Set<(endpoint: Endpoint) => void>();

  constructor(
    private readonly time: TimeProvider,
    private readonly warn: (message: string) => void = (message) => console.warn(message),
  ) {}

  /** A peer's report: `address` is reachable or not. */
  setStatus(address: Address, status: FailureStatus): void {
    const key = String(address);
    const before = this.addresses.get(key);
    if (before?.status === status) return;
    this.addresses.set(key, { status, since: this.time.now() });
    if (status === 'failed') this.fire(this.failureWaiters, key);
    this.fire(this.changeWaiters, key);
  }

  /** A connection to `address` dropped (it may come back: the address is not marked failed here). */
  notifyDisconnect(address: Address): void {
    this.fire(this.failureWaiters, String(address));
  }

  /** The other side has no such endpoint: it is failed for good (unless well-known). */
  endpointNotFound(endpoint: Endpoint): void {
    if (endpoint.token.isWellKnown()) return;
    if (this.permanentlyFailed.size >= MAX_PERMANENTLY_FAILED) {
      this.warn(
        `moonpool transport: ${MAX_PERMANENTLY_FAILED} endpoints were marked permanently failed; the list was cleared`,
      );
      this.permanentlyFailed.clear();
    }
    const key = endpoint.toString();
    this.permanentlyFailed.add(key);
    this.fire(this.notFoundWaiters, key);
    for (const listener of [...this.notFoundListeners]) listener(endpoint);
    // Only the waits on this endpoint: its address and the other endpoints there are as they were.
    const address = endpoint.address.toString();
    this.fireEndpoint(this.failureWaiters, address, key);
    this.fireEndpoint(this.changeWaiters, address, key);
  }

  /** Failed: permanently, or its address is failed or was never seen. */
  state(endpoint: Endpoint): FailureStatus {
    if (this.isPermanentlyFailed(endpoint)) return 'failed';
    return this.addressState(endpoint.address);
  }

  /** Whether the address was last reported available or failed; one never seen counts as failed. */
  addressState(address: Address): FailureStatus {
    return this.addresses.get(String(address))?.status ?? 'failed';
  }

  /** Whether the endpoint was found missing on the other side (never true of a well-known endpoint). */
  isPermanentlyFailed(endpoint: Endpoint): boolean {
    return this.permanentlyFailed.size > 0 && this.permanentlyFailed.has(endpoint.toString());
  }

  /**
   * Whether the endpoint is known to be failed right now: permanently, or its address reported
   * failed. Unlike `state`, an address never seen does not count (nothing has failed yet).
   */
  isKnownFailed(endpoint: Endpoint): boolean {
    return this.isPermanentlyFailed(endpoint) || this.isAddressKnownFailed(endpoint.address);
  }

  /** Whether the address was reported failed and is still (an address never seen is not). */
  isAddressKnownFailed(address: Address): boolean {
    return this.addresses.get(String(address))?.status === 'failed';
  }

  /** ms the address has been failed without a break (0 when available; unknown: null). */
  failedFor(address: Address): number | null {
    const state = this.addresses.get(String(address));
    if (state === undefined) return null;
    return state.status === 'failed' ? this.time.now() - state.since : 0;
  }

  /**
   * Resolves when the endpoint fails or its connection drops (at once if it is known to be failed).
   * `signal` withdraws the wait (the promise then never settles, and nothing is kept).
   */
  onDisconnectOrFailure(endpoint: Endpoint, signal?: AbortSignal): Promise<void> {
    if (this.isKnownFailed(endpoint)) return Promise.resolve();
    return this.wait(this.failureWaiters, endpoint.address.toString(), signal, endpoint.toString());
  }

  /** Resolves when the connection to `address` drops or the address fails. */
  onDisconnect(address: Address, signal?: AbortSignal): Promise<void> {
    return this.wait(this.failureWaiters, String(address), signal);
  }

  /** Resolves at the next change of the endpoint's status. */
  onStateChanged(endpoint: Endpoint, signal?: AbortSignal): Promise<void> {
    return this.wait(this.changeWaiters, endpoint.address.toString(), signal, endpoint.toString());
  }

  /** Resolves when the endpoint is found missing on the other side (at once if it already was). */
  onEndpointNotFound(endpoint: Endpoint, signal?: AbortSignal): Promise<void> {
    if (this.isPermanentlyFailed(endpoint)) return Promise.resolve();
    return this.wait(this.notFoundWaiters, endpoint.toString(), signal);
  }

  /**
   * Calls `fire` once when the endpoint fails or its connection drops (at once if it is known to be
   * failed); the returned function withdraws it. The RPC layer's cheap form of `onDisconnectOrFailure`.
   */
  watchDisconnectOrFailure(endpoint: Endpoint, fire: () => void): () => void {
    if (this.isKnownFailed(endpoint)) {
      fire();
      return noop;
    }
    return this.watch(this.failureWaiters, endpoint.address.toString(), fire, endpoint.toString());
  }

  /** As `watchDisconnectOrFailure` for a whole address: endpoints found missing there do not count. */
  watchAddressFailure(address: NetworkAddress, fire: () => void): () => void {
    if (this.isAddressKnownFailed(address)) {
      fire();
      return noop;
    }
    return this.watch(this.failureWaiters, address.toString(), fire);
  }

  /**
   * Calls `fire` once at the next change of the status of `at` (an endpoint: its address's changes
   * and its being found missing; an address: its changes only); returns the withdrawal.
   */
  watchStateChanged(at: Endpoint | NetworkAddress, fire: () => void): () => void {
    if ('token' in at) return this.watch(this.changeWaiters, at.address.toString(), fire, at.toString());
    return this.watch(this.changeWaiters, at.toString(), fire);
  }

  /**
   * Calls `listener` with every endpoint found missing from now on, until the returned function is
   * called. One listener can stand for many requests: the RPC layer keeps its requests in flight in a
   * set of its own and fails those to the endpoint, instead of a wait per request.
   */
  watchEveryEndpointNotFound(listener: (endpoint: Endpoint) => void): () => void {
    const own = (endpoint: Endpoint): void => listener(endpoint);
    this.notFoundListeners.add(own);
    return () => {
      this.notFoundListeners.delete(own);
    };
  }

  /** How many waits are registered (they are removed when they fire or are withdrawn). */
  get waiting(): number {
    let n = 0;
    for (const set of this.failureWaiters.values()) n += set.size;
    for (const set of this.changeWaiters.values()) n += set.size;
    for (const set of this.notFoundWaiters.values()) n += set.size;
    return n;
  }

  private wait(
    table: Map<string, Set<Waiter>>,
    address: string,
    signal?: AbortSignal,
    endpoint: string | null = null,
  ): Promise<void> {
    if (signal?.aborted) return new Promise<void>(() => undefined);
    return new Promise<void>((resolve) => {
      const withdraw = this.watch(
        table,
        address,
        () => {
          signal?.removeEventListener('abort', withdraw);
          resolve();
        },
        endpoint,
      );
      signal?.addEventListener('abort', withdraw, { once: true });
    });
  }

  private watch(
    table: Map<string, Set<Waiter>>,
    key: string,
    fire: () => void,
    endpoint: string | null = null,
  ): () => void {
    let set = table.get(key);
    if (set === undefined) table.set(key, (set = new Set()));
    const waiter: Waiter = { address: key, endpoint, fire };
    set.add(waiter);
    return () => remove(table, waiter);
  }

  private fire(table: Map<string, Set<Waiter>>, address: string): void {
    const set = table.get(address);
    if (set === undefined) return;
    table.delete(address);
    for (const waiter of set) waiter.fire();
  }

  /** Fires the waits of `table` at `address` that are on `endpoint`, and no other. */
  private fireEndpoint(table: Map<string, Set<Waiter>>, address: string, endpoint: string): void {
    const set = table.get(address);
    if (set === undefined) return;
    for (const waiter of [...set]) {
      if (waiter.endpoint !== endpoint) continue;
      set.delete(waiter);
      waiter.fire();
    }
    if (set.size === 0) table.delete(address);
  }
}

const noop = (): void => undefined;

/**
 * Emptied sets of waiters are kept for reuse while a table has at most this many keys: every
 * request waits on its endpoint, and making a set for each one cost a tenth of the wait.
 */
const KEPT_EMPTY = 64;

function remove(table: Map<string, Set<Waiter>>, waiter: Waiter): void {
  const set = table.get(waiter.address);
  if (set === undefined) return;
  set.delete(waiter);
  if (set.size === 0 && table.size > KEPT_EMPTY) table.delete(waiter.address);
}
