import type { RequestOptions } from '../rpc/service-endpoint.js';

/**
 * What a fan-out calls: a `ServiceEndpoint` or a typed `MethodClient` (both have these delivery
 * modes), or anything else that does. Described by shape rather than by class so that one fan-out
 * takes raw endpoints and typed method clients alike, and a test can hand it a stand-in.
 */
export interface FanOutTarget<Req, Res> {
  /** At least once: resent after reconnects until the reply comes (see `ServiceEndpoint.getReply`). */
  getReply(request: Req, options?: RequestOptions): Promise<Res>;
  /** At most once: `MaybeDelivered` if the connection fails while the request is out. */
  tryGetReply(request: Req, options?: RequestOptions): Promise<Res>;
  /** At least once, but `MaybeDelivered` once the endpoint has been failed for `failedForMs` ms in a row. */
  getReplyUnlessFailedFor(request: Req, failedForMs: number, options?: RequestOptions): Promise<Res>;
}

/**
 * How a fan-out makes its calls. `timeoutMs` is each call's (they all start together, so it also
 * bounds the fan-out); `signal` is the caller's: aborting it gives the whole fan-out up.
 */
export interface FanOutOptions extends RequestOptions {
  /**
   * Each call is a `tryGetReply`: sent at most once, `MaybeDelivered` as soon as its connection
   * fails (SPEC §6.7's `AtMostOnce.True`). Default: `getReply`, at least once (resent after
   * reconnects; a server may see a request twice).
   */
  readonly atMostOnce?: boolean;
  /**
   * Each call is a `getReplyUnlessFailedFor(request, unlessFailedForMs)`: at least once, but given up
   * with `MaybeDelivered` once its endpoint has been failed that long. Not with `atMostOnce`.
   */
  readonly unlessFailedForMs?: number;
}

/** One call of a fan-out, in the delivery mode its options chose. */
export type Delivery<Req, Res> = (
  target: FanOutTarget<Req, Res>,
  request: Req,
  options: RequestOptions,
) => Promise<Res>;

const getReply = <Req, Res>(target: FanOutTarget<Req, Res>, request: Req, options: RequestOptions): Promise<Res> =>
  target.getReply(request, options);

const tryGetReply = <Req, Res>(target: FanOutTarget<Req, Res>, request: Req, options: RequestOptions): Promise<Res> =>
  target.tryGetReply(request, options);

/**
 * The delivery mode `options` ask for, or the error that makes them invalid. Checked once here, so
 * that a mistake rejects the fan-out itself rather than every one of its calls.
 */
export function deliveryOf<Req, Res>(options: FanOutOptions): Delivery<Req, Res> | Error {
  const { atMostOnce, unlessFailedForMs: ms, timeoutMs } = options;
  if (timeoutMs !== undefined && !(timeoutMs > 0)) return new RangeError(`timeoutMs must be > 0, got ${timeoutMs}`);
  if (ms === undefined) return atMostOnce === true ? tryGetReply : getReply;
  if (atMostOnce === true) {
    return new TypeError('atMostOnce and unlessFailedForMs are two different delivery modes: give one of them');
  }
  if (!(ms >= 0) || !Number.isFinite(ms)) return new RangeError(`unlessFailedForMs must be a number of ms >= 0, got ${ms}`);
  return (target, request, callOptions) => target.getReplyUnlessFailedFor(request, ms, callOptions);
}
