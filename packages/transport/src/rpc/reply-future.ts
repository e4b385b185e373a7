import { abortError, describeError, type Endpoint, type UID } from '@moonpool/core';
import type { MessageCodec } from '../codec/message-codec.js';
import type { MessagingError } from '../peer/messaging-error.js';
import type { ReliablePacket } from '../peer/send-queue.js';
import type { NetTransport } from '../transport/net-transport.js';
import { decodeReply, encodeRequest } from './envelope.js';
import { ReplyError } from './reply-error.js';

export interface ReplyFutureOptions {
  /** Reliable (kept and resent after reconnects until the reply comes) or sent once. */
  readonly reliable: boolean;
  /** Aborting it gives the request up: the future rejects with the signal's reason. */
  readonly signal?: AbortSignal | undefined;
  /**
   * The endpoint's token outlives a server's incarnation (a service method's): an earlier "not
   * found" does not fail the request before it is sent; only one for this request does.
   */
  readonly stable?: boolean;
}

/**
 * The client's side of one request: a temporary endpoint waits for the reply and is removed as
 * soon as the future settles (reply, error, abort or disposal) — so a finished request leaves
 * nothing behind. Rejects with a `ReplyError` (`EndpointNotFound`, `ConnectionFailed`, the server's
 * `BrokenPromise` or `Serialization`, ...) or a `MessagingError` when the request could not be queued.
 */
export class ReplyFuture<T> implements PromiseLike<T> {
  /** The temporary endpoint's token. */
  readonly token: UID;
  private readonly promise: Promise<T>;
  private resolvePromise!: (value: T) => void;
  private rejectPromise!: (error: unknown) => void;
  private packet: ReliablePacket | null = null;
  private settled = false;
  /** Withdraws the waits the future holds (endpoint not found, the caller's signal). */
  private unwatch: (() => void) | null = null;

  constructor(
    private readonly transport: NetTransport,
    readonly endpoint: Endpoint,
    request: Uint8Array,
    private readonly codec: MessageCodec,
    options: ReplyFutureOptions,
  ) {
    this.promise = new Promise<T>((resolve, reject) => {
      this.resolvePromise = resolve;
      this.rejectPromise = reject;
    });
    this.token = transport.newToken();
    const monitor = transport.failureMonitor;
    const stable = options.stable === true;
    if (!stable && monitor.isPermanentlyFailed(endpoint)) {
      this.settled = true;
      this.rejectPromise(endpointNotFound(endpoint));
      return;
    }
    const signal = options.signal;
    if (signal?.aborted) {
      this.settled = true;
      this.rejectPromise(abortError(signal));
      return;
    }
    transport.register(this.token, { receive: (payload) => this.onReply(payload) });
    try {
      const payload = encodeRequest(this.token, request);
      if (options.reliable) {
        this.packet = transport.sendReliable(endpoint, payload);
        this.packet.onLost = (error) => this.onLost(error);
      } else {
        transport.sendUnreliable(endpoint, payload);
      }
    } catch (err) {
      this.fail(err);
      return;
    }
    const onNotFound = (): void => this.fail(endpointNotFound(endpoint));
    const unwatchNotFound = monitor.watchEndpointNotFound(endpoint, onNotFound, stable);
    if (signal === undefined) {
      this.unwatch = unwatchNotFound;
    } else {
      const onAbort = (): void => this.fail(abortError(signal));
      signal.addEventListener('abort', onAbort, { once: true });
      this.unwatch = () => {
        unwatchNotFound();
        signal.removeEventListener('abort', onAbort);
      };
    }
    // Settled while registering (found missing already): withdraw at once.
    if (this.settled) this.finishWatching();
  }

  get isSettled(): boolean {
    return this.settled;
  }

  then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.promise.then(onFulfilled, onRejected);
  }

  catch<R = never>(onRejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.promise.catch(onRejected);
  }

  /** Gives the request up (the future rejects with `reason`, an `AbortError` by default). */
  abort(reason?: unknown): void {
    if (this.settled) return;
    const controller = new AbortController();
    controller.abort(reason);
    this.fail(abortError(controller.signal));
  }

  [Symbol.dispose](): void {
    if (!this.settled) {
      // Disposed unanswered: nobody waits any more; the rejection is expected.
      this.promise.catch(() => undefined);
      this.abort();
    }
  }

  private onReply(payload: Uint8Array): void {
    if (this.settled) return;
    const reply = decodeReply(payload);
    if (reply instanceof ReplyError) {
      this.fail(reply);
      return;
    }
    let value: T;
    try {
      value = this.codec.decode(reply) as T;
    } catch (err) {
      this.fail(new ReplyError('Serialization', `the reply could not be decoded: ${describeError(err, { stack: false })}`));
      return;
    }
    this.finish();
    this.resolvePromise(value);
  }

  private onLost(error: MessagingError): void {
    this.fail(new ReplyError('ConnectionFailed', error.message));
  }

  private fail(error: unknown): void {
    if (this.settled) return;
    this.finish();
    this.rejectPromise(error);
  }

  /** Settles: the temporary endpoint, the kept request and every wait are removed. */
  private finish(): void {
    this.settled = true;
    this.transport.unregister(this.token);
    const packet = this.packet;
    this.packet = null;
    if (packet !== null) {
      packet.onLost = null;
      packet.cancel();
    }
    this.finishWatching();
  }

  private finishWatching(): void {
    const unwatch = this.unwatch;
    this.unwatch = null;
    unwatch?.();
  }
}

/** The error of a request to an endpoint found missing on the other side. */
export function endpointNotFound(endpoint: Endpoint): ReplyError {
  return new ReplyError('EndpointNotFound', `nothing is registered at ${endpoint.toString()}`);
}
