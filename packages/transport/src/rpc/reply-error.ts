/** How an RPC failed. */
export type ReplyErrorKind =
  /** The server dropped the request without answering (its handler threw, it stopped, it was disposed). */
  | 'BrokenPromise'
  /** The peer gave up connecting (`PeerConfig.maxConnectionFailures`): the request was not resent. */
  | 'ConnectionFailed'
  /** No reply within the timeout (30 s by default). */
  | 'Timeout'
  /** The request or reply could not be encoded, decoded or validated. */
  | 'Serialization'
  /** Nothing is registered at the endpoint on the other side. */
  | 'EndpointNotFound'
  /** The connection failed while the request was out: it may or may not have been processed. */
  | 'MaybeDelivered';

export const REPLY_ERROR_KINDS: readonly ReplyErrorKind[] = [
  'BrokenPromise',
  'ConnectionFailed',
  'Timeout',
  'Serialization',
  'EndpointNotFound',
  'MaybeDelivered',
];

/** The failure of a request (see `ReplyErrorKind`). */
export class ReplyError extends Error {
  /** Always `'ReplyError'`. */
  override readonly name = 'ReplyError';
  constructor(
    /** How the request failed; the message starts with it too. */
    readonly kind: ReplyErrorKind,
    message: string,
  ) {
    super(`${kind}: ${message}`);
  }
}

/** Default time a request waits for its reply. */
export const DEFAULT_RPC_TIMEOUT_MS = 30_000;
