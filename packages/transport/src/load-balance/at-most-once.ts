/**
 * Whether a load-balanced request may be executed more than once (SPEC §6.7).
 * - `False`: at least once. Each attempt is a `getReply`; any failure after which another
 *   alternative may answer (`MaybeDelivered` included) moves on to it, so a server may see the
 *   request twice (once per alternative tried, and resent after reconnects).
 * - `True`: at most once. Each attempt is a `tryGetReply`; a failure after which the request may have
 *   been processed (`MaybeDelivered`, `Timeout`, `BrokenPromise`) is returned at once, never retried.
 *
 * The values are the booleans themselves, so `loadBalance(..., true, ...)` reads the same.
 */
export const AtMostOnce = Object.freeze({
  False: false,
  True: true,
} as const);

export type AtMostOnce = boolean;
