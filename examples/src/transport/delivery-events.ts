import type { SimContext } from 'moonpool';
import type { DeliveryMode, EchoOp, Via } from './echo-protocol.js';

/** How a request ended, as its client saw it. */
export type Outcome =
  /** A reply whose content matched the request. */
  | 'reply'
  /** `send` returned: the message is queued (it may or may not arrive). */
  | 'queued'
  /** The transport refused the request at once: its peer's queue was full. */
  | 'QueueFull'
  | 'Timeout'
  | 'MaybeDelivered'
  | 'BrokenPromise'
  | 'ConnectionFailed'
  | 'EndpointNotFound'
  | 'Serialization'
  /** Anything else (a bug of the client or the transport). */
  | 'Other';

/**
 * The timeline of one request, written by its client (`sent`, `outcome`) and by the servers
 * (`executed`, `deduplicated`, `abandoned`, `replied`). `boot` counts a server's incarnations.
 */
export type DeliveryEvent =
  | {
      readonly type: 'sent';
      readonly id: string;
      readonly mode: DeliveryMode;
      readonly op: EchoOp;
      readonly server: string;
      readonly via: Via;
      /** The client (one transport each): endpoints found missing are remembered per transport. */
      readonly client: string;
    }
  | { readonly type: 'executed'; readonly id: string; readonly op: EchoOp; readonly server: string; readonly boot: number }
  /** An `increment` seen again by the same incarnation: answered from its memory, not applied again. */
  | { readonly type: 'deduplicated'; readonly id: string; readonly server: string; readonly boot: number }
  | { readonly type: 'abandoned'; readonly id: string; readonly server: string; readonly boot: number; readonly why: string }
  | { readonly type: 'replied'; readonly id: string; readonly server: string; readonly boot: number }
  | {
      readonly type: 'outcome';
      readonly id: string;
      readonly outcome: Outcome;
      /** The client's peer saw a connection fail (or the address was known failed) while the request was out. */
      readonly faultSeen: boolean;
      /** For a reply: its hash checked and its content matched the request. */
      readonly intact: boolean;
      readonly detail: string;
    };

/** Content that failed its own hash check after the transport delivered it: must never happen. */
export interface CorruptDelivery {
  readonly where: 'server' | 'client';
  readonly detail: string;
}

/** One event log per delivery mode: the per-mode timelines. */
export const DELIVERY_LOGS: Readonly<Record<DeliveryMode, string>> = {
  send: 'rpc:send',
  tryGetReply: 'rpc:tryGetReply',
  getReply: 'rpc:getReply',
  getReplyUnlessFailedFor: 'rpc:getReplyUnlessFailedFor',
};

export const CORRUPT_LOG = 'rpc:corrupt';

/** When a server stopped serving its typed service (requests to it then find no endpoint). */
export interface ServiceStopped {
  readonly server: string;
  readonly boot: number;
}

export const SERVICE_LOG = 'rpc:service-stopped';

export function emitDelivery(ctx: SimContext, mode: DeliveryMode, event: DeliveryEvent): void {
  ctx.emit(DELIVERY_LOGS[mode], event);
}
