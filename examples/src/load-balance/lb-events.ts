import type { SimContext } from 'moonpool';

/** How a load-balanced call ended, as its caller saw it. */
export type CallOutcome =
  | 'reply'
  | 'MaybeDelivered'
  | 'Timeout'
  | 'BrokenPromise'
  | 'ConnectionFailed'
  | 'EndpointNotFound'
  | 'Serialization'
  /** `LoadBalanceError` `AllAlternativesFailed`: every alternative known failed, nothing sent. */
  | 'AllAlternativesFailed'
  /** `MessagingError` `QueueFull`: the peer's queue was full, nothing sent. */
  | 'QueueFull'
  /** Anything else: a bug of the client or of the load balancer. */
  | 'Other';

/**
 * One timeline for the whole simulation, written by the clients (`alternatives`, `call`, `attempt`,
 * `end`) and the replicas (`executed`), read in order by the `LoadBalanceChecker`.
 */
export type LbEvent =
  /** A client's alternatives: every replica's address and its distance from the client (0, 1, 2). */
  | { readonly type: 'alternatives'; readonly client: string; readonly servers: readonly (readonly [string, number])[] }
  /** A call starts (before `loadBalance` is called). */
  | { readonly type: 'call'; readonly id: string; readonly client: string; readonly atMostOnce: boolean }
  /**
   * The load balancer sends the call to `server`. Written synchronously by the target's delivery
   * mode, so in the same instant as the choice: `failed` lists the alternatives the client's failure
   * monitor counted failed at that instant.
   */
  | { readonly type: 'attempt'; readonly id: string; readonly server: string; readonly failed: readonly string[] }
  /** A replica incarnation executed the request (before answering it). */
  | { readonly type: 'executed'; readonly id: string; readonly server: string; readonly boot: number }
  /** The call ended: a reply (from `server#boot`) or an error reached the caller. */
  | {
      readonly type: 'end';
      readonly id: string;
      readonly outcome: CallOutcome;
      readonly server?: string;
      readonly boot?: number;
      readonly detail: string;
    };

export const LB_LOG = 'lb:calls';

export function emitLb(ctx: SimContext, event: LbEvent): void {
  ctx.emit(LB_LOG, event);
}
