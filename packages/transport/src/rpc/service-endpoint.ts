import type { Endpoint } from '@moonpool/core';
import type { MessageCodec } from '../codec/message-codec.js';
import type { NetTransport } from '../transport/net-transport.js';
import { encodeRequest } from './envelope.js';
import { DEFAULT_RPC_TIMEOUT_MS, ReplyError } from './reply-error.js';
import { endpointNotFound, ReplyFuture } from './reply-future.js';

export interface RequestOptions {
  /** How long to wait for the reply, in ms (default 30 000). */
  readonly timeoutMs?: number;
  /** Aborting it gives the request up; the call rejects with the signal's reason. */
  readonly signal?: AbortSignal;
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
 *   without a break for the given time.
 * Every mode but `send` also gives up with `Timeout` after `timeoutMs` (30 s by default).
 */
export class ServiceEndpoint<Req, Res> {
  constructor(
    readonly transport: NetTransport,
    readonly endpoint: Endpoint,
    readonly codec: MessageCodec,
  ) {}

  /** Sends without waiting for anything. Throws `MessagingError` (`QueueFull`, `Closed`). */
  send(request: Req): void {
    this.transport.sendUnreliable(this.endpoint, encodeRequest(null, this.encode(request)));
  }

  /** The raw future of one request (reliable unless said otherwise); no timeout of its own. */
  sendRequest(request: Req, options: { reliable?: boolean; signal?: AbortSignal } = {}): ReplyFuture<Res> {
    return new ReplyFuture<Res>(this.transport, this.endpoint, this.encode(request), this.codec, {
      reliable: options.reliable ?? true,
      signal: options.signal,
    });
  }

  async tryGetReply(request: Req, options: RequestOptions = {}): Promise<Res> {
    const monitor = this.transport.failureMonitor;
    if (monitor.isPermanentlyFailed(this.endpoint)) throw endpointNotFound(this.endpoint);
    if (monitor.isKnownFailed(this.endpoint)) throw this.maybeDelivered('its endpoint is failed');
    return this.race(request, false, options, async (stop) => {
      await monitor.onDisconnectOrFailure(this.endpoint, stop);
      // Found missing on the other side: then it surely was not processed.
      if (monitor.isPermanentlyFailed(this.endpoint)) throw endpointNotFound(this.endpoint);
      throw this.maybeDelivered('the connection failed while it was out');
    });
  }

  async getReply(request: Req, options: RequestOptions = {}): Promise<Res> {
    try {
      return await this.race(request, true, options, null);
    } catch (err) {
      // The server gave the request up: it will not answer this endpoint again (FoundationDB does the same).
      if (err instanceof ReplyError && err.kind === 'BrokenPromise') {
        this.transport.failureMonitor.endpointNotFound(this.endpoint);
      }
      throw err;
    }
  }

  async getReplyUnlessFailedFor(request: Req, failedForMs: number, options: RequestOptions = {}): Promise<Res> {
    if (!(failedForMs >= 0) || !Number.isFinite(failedForMs)) {
      throw new RangeError(`getReplyUnlessFailedFor takes a number of ms >= 0, got ${failedForMs}`);
    }
    return this.race(request, true, options, (stop) => this.failedFor(failedForMs, stop));
  }

  /** Rejects once the endpoint has been failed for `ms` without a break. */
  private async failedFor(ms: number, stop: AbortSignal): Promise<never> {
    const { failureMonitor: monitor, providers } = this.transport;
    const started = providers.time.now();
    for (;;) {
      // Found missing on the other side: then it surely was not processed (as for tryGetReply).
      if (monitor.isPermanentlyFailed(this.endpoint)) throw endpointNotFound(this.endpoint);
      if (monitor.state(this.endpoint) === 'failed') {
        // An address never seen counts as failed since the request began.
        const failedFor = monitor.failedFor(this.endpoint.address) ?? providers.time.now() - started;
        if (failedFor >= ms) throw this.maybeDelivered(`its endpoint has been failed for ${ms} ms`);
        const wake = new AbortController();
        const onStop = (): void => wake.abort();
        stop.addEventListener('abort', onStop, { once: true });
        await Promise.race([
          providers.time.sleep(ms - failedFor, wake.signal).catch(() => undefined),
          monitor.onStateChanged(this.endpoint, wake.signal),
        ]);
        stop.removeEventListener('abort', onStop);
        wake.abort();
      } else {
        await monitor.onDisconnectOrFailure(this.endpoint, stop);
      }
      if (stop.aborted) return new Promise<never>(() => undefined);
    }
  }

  /**
   * Sends the request and waits for the first of: its reply, the timeout, the caller's signal, and
   * `giveUp` (which rejects to end the wait). Every loser is cancelled.
   */
  private async race(
    request: Req,
    reliable: boolean,
    options: RequestOptions,
    giveUp: ((stop: AbortSignal) => Promise<never>) | null,
  ): Promise<Res> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_RPC_TIMEOUT_MS;
    if (!(timeoutMs > 0)) throw new RangeError(`timeoutMs must be > 0, got ${timeoutMs}`);
    const stop = new AbortController();
    const future = this.sendRequest(request, { reliable, ...(options.signal ? { signal: options.signal } : {}) });
    const timeout = this.transport.providers.time.sleep(timeoutMs, stop.signal).then(() => {
      throw new ReplyError('Timeout', `no reply from ${this.endpoint.toString()} within ${timeoutMs} ms`);
    });
    const losers: Promise<never>[] = [timeout];
    if (giveUp !== null) losers.push(giveUp(stop.signal));
    try {
      return await Promise.race([future, ...losers]);
    } finally {
      stop.abort();
      future.abort();
      for (const loser of losers) loser.catch(() => undefined);
      future.catch(() => undefined);
    }
  }

  private encode(request: Req): Uint8Array {
    try {
      return this.codec.encode(request);
    } catch (err) {
      throw new ReplyError('Serialization', `the request could not be encoded: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private maybeDelivered(why: string): ReplyError {
    return new ReplyError('MaybeDelivered', `a request to ${this.endpoint.toString()} may or may not have been processed: ${why}`);
  }
}
