/** Why the transport could not take or deliver a message. */
export type MessagingErrorKind =
  /** A peer's queue holds `maxQueueSize` messages already: back off and retry. */
  | 'QueueFull'
  /** The peer gave up after `maxConnectionFailures` failed connections in a row. */
  | 'ConnectionFailed'
  /** The connection ended (closed or reset by the other side, a corrupt stream, a failed health check). */
  | 'ConnectionLost'
  /** The peer or the transport was closed by its owner. */
  | 'Closed';

/** A transport-level failure (the RPC layer's failures are `ReplyError`s). */
export class MessagingError extends Error {
  /** Always `'MessagingError'`. */
  override readonly name = 'MessagingError';
  constructor(
    /** Why the message could not be taken or delivered; the message starts with it too. */
    readonly kind: MessagingErrorKind,
    message: string,
  ) {
    super(`${kind}: ${message}`);
  }
}
