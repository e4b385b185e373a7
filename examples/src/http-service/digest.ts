import { createHash } from 'node:crypto';

/**
 * End-to-end integrity for requests and responses. The simulated network flips bits in delivered
 * data (the simulated network does not model TCP's checksum, and real networks do let corruption through), so
 * without this a flipped byte could turn `PUT /items/apple` into `PUT /items/apqle` or change a
 * stored value. Both sides digest what they meant to send; the receiver recomputes and rejects a
 * mismatch. The request id ties each response to its request, so a stray or stale response cannot be
 * taken for the answer to another one.
 */
export const DIGEST_HEADER = 'x-digest';
export const REQUEST_ID_HEADER = 'x-request-id';

function sha256(parts: readonly string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(`${part.length}:${part}`);
  return hash.digest('hex');
}

export function requestDigest(method: string, path: string, requestId: string, body: string): string {
  return sha256(['request', method, path, requestId, body]);
}

/** Covers the content type too: the client judges the body by it. */
export function responseDigest(status: number, requestId: string, contentType: string, body: string): string {
  return sha256(['response', String(status), requestId, contentType, body]);
}
