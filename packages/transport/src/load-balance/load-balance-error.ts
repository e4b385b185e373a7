/** Why `loadBalance` failed without an error of a request to hand back. */
export type LoadBalanceErrorKind =
  /** It was given no alternatives. */
  | 'NoAlternatives'
  /**
   * Every alternative was known failed in every cycle, so nothing was sent (an `AtMostOnce.True`
   * request is never sent to an endpoint known failed: `tryGetReply` would not send it either).
   * FoundationDB's `all_alternatives_failed`.
   */
  | 'AllAlternativesFailed';

/**
 * A failure of `loadBalance` itself. When requests were sent and failed, `loadBalance` rejects with
 * the last of their errors instead (a `ReplyError`, usually).
 */
export class LoadBalanceError extends Error {
  /** Always `'LoadBalanceError'`. */
  override readonly name = 'LoadBalanceError';
  constructor(
    /** Why `loadBalance` failed; the message starts with it too. */
    readonly kind: LoadBalanceErrorKind,
    message: string,
  ) {
    super(`${kind}: ${message}`);
  }
}
