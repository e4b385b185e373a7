import { MessagingError } from '../peer/messaging-error.js';
import { ReplyError } from '../rpc/reply-error.js';

/**
 * Whether `loadBalance` may try another alternative after `error`.
 * - Surely not processed, so always retried: `EndpointNotFound` (nothing there), `ConnectionFailed`
 *   (the peer gave up before sending; a request that went out and lost its connection gets
 *   `MaybeDelivered` instead), a full queue (`QueueFull`, nothing was queued).
 * - Maybe processed: `MaybeDelivered`, `Timeout`, `BrokenPromise` (a handler may have acted, then
 *   thrown; a server may have acted, then stopped). Retried only when the request may run twice
 *   (`atMostOnce` false); returned at once otherwise.
 * - Never retried: `Serialization` (the same request fails the same way everywhere, or the reply of
 *   a request that ran), the transport being closed, and anything that is not a transport error
 *   (a bug, the caller's abort).
 */
export function isRetryable(error: unknown, atMostOnce: boolean): boolean {
  if (error instanceof ReplyError) {
    switch (error.kind) {
      case 'EndpointNotFound':
      case 'ConnectionFailed':
        return true;
      case 'MaybeDelivered':
      case 'Timeout':
      case 'BrokenPromise':
        return !atMostOnce;
      case 'Serialization':
        return false;
    }
  }
  if (error instanceof MessagingError) return error.kind !== 'Closed';
  return false;
}
