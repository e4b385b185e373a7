import { abortError, type Endpoint, type UID } from '@moonpool/core';
import type { MessageCodec } from '../codec/message-codec.js';
import type { NetTransport } from '../transport/net-transport.js';
import { PendingRequest, type PendingRequestOptions } from './pending-request.js';

/** As a pending request's, without the options of the delivery modes (a raw future has no timeout). */
export type ReplyFutureOptions = Pick<PendingRequestOptions, 'reliable' | 'signal' | 'stable'>;

/**
 * The client's side of one request: a temporary endpoint waits for the reply and is removed as
 * soon as the future settles (reply, error, abort or disposal) — so a finished request leaves
 * nothing behind. Rejects with a `ReplyError` (`EndpointNotFound`, `ConnectionFailed`, the server's
 * `BrokenPromise` or `Serialization`, ...) or a `MessagingError` when the request could not be queued.
 */
export class ReplyFuture<T> implements PromiseLike<T> {
  private readonly promise: Promise<T>;
  private readonly request: PendingRequest<T>;

  constructor(
    transport: NetTransport,
    /** The remote endpoint the request was sent to. */
    readonly endpoint: Endpoint,
    request: Uint8Array,
    codec: MessageCodec,
    options: ReplyFutureOptions,
  ) {
    let resolvePromise!: (value: T) => void;
    let rejectPromise!: (error: unknown) => void;
    this.promise = new Promise<T>((resolve, reject) => {
      resolvePromise = resolve;
      rejectPromise = reject;
    });
    this.request = new PendingRequest<T>(transport, endpoint, request, codec, options, resolvePromise, rejectPromise);
  }

  /** The temporary endpoint's token. */
  get token(): UID {
    return this.request.token;
  }

  /** Whether it has resolved or rejected (reply, error, abort or disposal). */
  get isSettled(): boolean {
    return this.request.settled;
  }

  then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.promise.then(onFulfilled, onRejected);
  }

  /** As `Promise.catch`: `onRejected` gets the `ReplyError`, `MessagingError` or abort reason. */
  catch<R = never>(onRejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.promise.catch(onRejected);
  }

  /** Gives the request up (the future rejects with `reason`, an `AbortError` by default). */
  abort(reason?: unknown): void {
    if (this.request.settled) return;
    const controller = new AbortController();
    controller.abort(reason);
    this.request.fail(abortError(controller.signal));
  }

  /** Gives the request up if it is still out (as `abort()`, the rejection handled); nothing once settled. */
  [Symbol.dispose](): void {
    if (!this.request.settled) {
      // Disposed unanswered: nobody waits any more; the rejection is expected.
      this.promise.catch(() => undefined);
      this.abort();
    }
  }
}
