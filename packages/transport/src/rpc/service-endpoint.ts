import { describeError, type Endpoint } from '@moonpool/core';
import type { MessageCodec } from '../codec/message-codec.js';
import type { NetTransport } from '../transport/net-transport.js';
import { encodeForPacket, frameRequest } from './envelope.js';
import { DEFAULT_RPC_TIMEOUT_MS, ReplyError } from './reply-error.js';
import { endpointNotFound, PendingRequest } from './pending-request.js';
import { REQUEST_GROUP, type RequestGroup } from './request-group.js';
import { ReplyFuture } from './reply-future.js';
import { requestTimers } from './request-timers.js';

/** Per-call options of the delivery modes that wait for a reply. */
export interface RequestOptions {
  /** How long to wait for the reply, in ms (default 30 000). */
  readonly timeoutMs?: number;
  /** Aborting it gives the request up; the call rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Internal (the key is not exported): the group the request joins, set by fan-outs. */
  readonly [REQUEST_GROUP]?: RequestGroup | undefined;
}

/**
 * A client's handle on one remote endpoint, with the four delivery modes (FoundationDB's
 * RequestStream client side):
 * - `send`: fire and forget, unreliable, no reply; lost if the connection fails.
 * - `tryGetReply`: at most once. `MaybeDelivered` at once if the endpoint is already known to be
 *   failed, and as soon as its connection fails while the request is out.
 * - `getReply`: at least once. Resent after every reconnect until the reply comes (the server may
 *   see it twice); `Timeout` if it never does. A `BrokenPromise` marks the endpoint as not found.
 * - `getReplyUnlessFailedFor`: at least once, but `MaybeDelivered` once the endpoint has been failed
 *   without a break for the given time while the request was out.
 * Every mode but `send` also gives up with `Timeout` after `timeoutMs` (30 s by default).
 */
export class ServiceEndpoint<Req, Res> {
  /**
   * `stable`: the endpoint's token outlives a server's incarnation, as a typed service's method
   * tokens do. Then "not found" and `BrokenPromise` fail the request they answer, not the endpoint
   * for good: a server rebooting, or not serving yet, or whose handler threw once, is tried again by
   * the next call. Without it (a token made at runtime, FoundationDB's case) they are permanent.
   */
  constructor(
    /** The transport requests go out through and replies come back on. */
    readonly transport: NetTransport,
    /** The remote endpoint (address and token) requests are sent to. */
    readonly endpoint: Endpoint,
    /** Encodes requests and decodes replies. */
    readonly codec: MessageCodec,
    /** `stable` (default false): whether the endpoint's token outlives a server's incarnation. */
    readonly options: { readonly stable?: boolean } = {},
  ) {}

  private get stable(): boolean {
    return this.options.stable === true;
  }

  /** Found missing for good (never for a stable endpoint). */
  private isGone(): boolean {
    return !this.stable && this.transport.failureMonitor.isPermanentlyFailed(this.endpoint);
  }

  /** Sends without waiting for anything. Throws `MessagingError` (`QueueFull`, `Closed`). */
  send(request: Req): void {
    const frame = frameRequest(this.endpoint.token, null, this.encode(request));
    this.transport.sendUnreliableFrame(this.endpoint.address, frame);
  }

  /** The raw future of one request (reliable unless said otherwise); no timeout of its own. */
  sendRequest(request: Req, options: { reliable?: boolean; signal?: AbortSignal } = {}): ReplyFuture<Res> {
    return new ReplyFuture<Res>(this.transport, this.endpoint, this.encode(request), this.codec, {
      reliable: options.reliable ?? true,
      signal: options.signal,
      stable: this.stable,
    });
  }

  /**
   * Sends at most once; rejects with `MaybeDelivered` at once if the endpoint's address is known failed,
   * or as soon as the connection fails while the request is out.
   */
  tryGetReply(request: Req, options: RequestOptions = {}): Promise<Res> {
    const monitor = this.transport.failureMonitor;
    if (this.isGone()) return Promise.reject(endpointNotFound(this.endpoint));
    if (monitor.isAddressKnownFailed(this.endpoint.address)) {
      return Promise.reject(this.maybeDelivered('its address is failed'));
    }
    const onFailure = (giveUp: (error: ReplyError) => void) => () =>
      // Found missing on the other side: then it surely was not processed.
      giveUp(this.isGone() ? endpointNotFound(this.endpoint) : this.maybeDelivered('the connection failed while it was out'));
    return this.race(request, false, options, (giveUp) =>
      this.stable
        ? monitor.watchAddressFailure(this.endpoint.address, onFailure(giveUp))
        : monitor.watchDisconnectOrFailure(this.endpoint, onFailure(giveUp)),
    );
  }

  /** Sends at least once: resent after every reconnect until the reply comes or `timeoutMs` runs out. */
  getReply(request: Req, options: RequestOptions = {}): Promise<Res> {
    return this.race(request, true, options, null, true);
  }

  /**
   * Like `getReply`, but rejects with `MaybeDelivered` once the endpoint has been failed without a break
   * for `failedForMs` ms (>= 0) while the request is out.
   */
  getReplyUnlessFailedFor(request: Req, failedForMs: number, options: RequestOptions = {}): Promise<Res> {
    if (!(failedForMs >= 0) || !Number.isFinite(failedForMs)) {
      return Promise.reject(new RangeError(`getReplyUnlessFailedFor takes a number of ms >= 0, got ${failedForMs}`));
    }
    return this.race(request, true, options, (giveUp) => this.watchFailedFor(failedForMs, giveUp));
  }

  /**
   * Calls `giveUp` once the endpoint has been failed without a break for `ms` while the request is
   * out; returns the withdrawal. Re-checks at every change of the endpoint's status and when the
   * time would be up.
   */
  private watchFailedFor(ms: number, giveUp: (error: ReplyError) => void): () => void {
    const { failureMonitor: monitor, providers } = this.transport;
    const timers = requestTimers(this.transport);
    const started = providers.time.now();
    let withdraw: () => void = noop;
    const check = (timeIsUp: boolean): void => {
      withdraw();
      withdraw = noop;
      // Found missing on the other side: then it surely was not processed (as for tryGetReply).
      if (this.isGone()) {
        giveUp(endpointNotFound(this.endpoint));
        return;
      }
      const failed = this.stable
        ? monitor.addressState(this.endpoint.address) === 'failed'
        : monitor.state(this.endpoint) === 'failed';
      if (!failed) {
        withdraw = this.stable
          ? monitor.watchAddressFailure(this.endpoint.address, () => check(false))
          : monitor.watchDisconnectOrFailure(this.endpoint, () => check(false));
        return;
      }
      // Counted from the request's start at the earliest: a status from before it may be stale
      // (nothing probes an idle address), and an address never seen counts as failed since then.
      const sinceStart = providers.time.now() - started;
      const failedFor = Math.min(monitor.failedFor(this.endpoint.address) ?? sinceStart, sinceStart);
      // The timer is trusted when it runs out (no change came in between): recomputing the time may
      // fall short by a rounding error and ask for a sleep of zero, again and again.
      if (timeIsUp || failedFor >= ms) {
        giveUp(this.maybeDelivered(`its endpoint has been failed for ${ms} ms`));
        return;
      }
      const cancelTimer = timers.after(ms - failedFor, () => check(true));
      const watched = this.stable ? this.endpoint.address : this.endpoint;
      const unwatch = monitor.watchStateChanged(watched, () => check(false));
      withdraw = () => {
        cancelTimer();
        unwatch();
      };
    };
    check(false);
    return () => withdraw();
  }

  /**
   * Sends the request and settles with the first of: its reply, the timeout, the caller's signal,
   * and `watchGiveUp`'s verdict. Every loser is withdrawn. With `brokenMarksNotFound` (getReply), a
   * `BrokenPromise` marks the endpoint not found: the server gave the request up and will not answer
   * it again (as FoundationDB). Not so for a stable endpoint: its next incarnation, or the next call,
   * may answer.
   */
  private race(
    request: Req,
    reliable: boolean,
    options: RequestOptions,
    watchGiveUp: ((giveUp: (error: ReplyError) => void) => () => void) | null,
    brokenMarksNotFound = false,
  ): Promise<Res> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_RPC_TIMEOUT_MS;
    if (!(timeoutMs > 0)) return Promise.reject(new RangeError(`timeoutMs must be > 0, got ${timeoutMs}`));
    let bytes: Uint8Array;
    try {
      bytes = this.encode(request);
    } catch (err) {
      return Promise.reject(err);
    }
    const marksNotFound = brokenMarksNotFound && !this.stable;
    return new Promise<Res>((resolve, reject) => {
      new PendingRequest<Res>(
        this.transport,
        this.endpoint,
        bytes,
        this.codec,
        {
          reliable,
          signal: options.signal,
          group: options[REQUEST_GROUP],
          stable: this.stable,
          timeoutMs,
          watchGiveUp,
        },
        resolve,
        marksNotFound ? (error) => this.rejectMarkingBroken(error, reject) : reject,
      );
    });
  }

  private rejectMarkingBroken(error: unknown, reject: (error: unknown) => void): void {
    if (error instanceof ReplyError && error.kind === 'BrokenPromise') {
      // After the packets that came with this reply: their own answers go first.
      queueMicrotask(() => this.transport.failureMonitor.endpointNotFound(this.endpoint));
    }
    reject(error);
  }

  /** The request's bytes, possibly the codec's transient ones: frame them before encoding anything else. */
  private encode(request: Req): Uint8Array {
    try {
      return encodeForPacket(this.codec, request);
    } catch (err) {
      throw new ReplyError('Serialization', `the request could not be encoded: ${describeError(err, { stack: false })}`);
    }
  }

  private maybeDelivered(why: string): ReplyError {
    return new ReplyError('MaybeDelivered', `a request to ${this.endpoint.toString()} may or may not have been processed: ${why}`);
  }
}

const noop = (): void => undefined;
