import { Redis } from 'ioredis';
import { CliError } from '../cli/errors.js';
import type { RedisTarget } from './redis-url.js';

/** How long the first connection may take before the command gives up (an unreachable host must not hang it). */
const CONNECT_TIMEOUT_MS = 5000;
/** Reconnection pauses once connected: a worker rides out a Redis restart instead of exiting. */
const RECONNECT_MAX_MS = 2000;

/**
 * Connects to `target` and checks it answers (PING). The first connection is tried once: a Redis
 * that cannot be reached, or refuses the credentials, is a CliError (exit 2) naming the URL without
 * its password. Once connected, a worker's client (`longLived`) reconnects by itself and waits for
 * Redis to come back (BullMQ's workers need `maxRetriesPerRequest: null`); a short command's fails
 * instead of hanging.
 */
export async function connectRedis(
  target: RedisTarget,
  options: { longLived: boolean; onError?: (message: string) => void },
): Promise<Redis> {
  const { longLived, onError } = options;
  let connected = false;
  // The first error says why (WRONGPASS, ECONNREFUSED); the rejection that follows only that the connection closed.
  let firstError: unknown = null;
  const client = new Redis({
    ...target.clientOptions(),
    lazyConnect: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: longLived ? null : 1,
    retryStrategy: (times: number) => (connected && longLived ? Math.min(times * 200, RECONNECT_MAX_MS) : null),
  });
  // Without a listener the client prints errors itself; they go through the redaction here instead.
  client.on('error', (err: Error) => {
    firstError ??= err;
    if (connected) onError?.(`Redis at ${target.display}: ${redactedReason(target, err)}`);
  });
  const timer = setTimeout(() => client.disconnect(), CONNECT_TIMEOUT_MS * 2);
  try {
    await client.connect();
    await client.ping();
    connected = true;
    return client;
  } catch (err) {
    client.disconnect();
    throw new CliError(`cannot reach Redis at ${target.display}: ${redactedReason(target, firstError ?? err)}`);
  } finally {
    clearTimeout(timer);
  }
}

/** The client's error text, with the password cut out should it ever appear in it. */
export function redactedReason(target: RedisTarget, err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const reason = text === '' ? 'connection closed' : text;
  return target.leaksPassword(reason) ? '(error text withheld: it contained the password)' : reason;
}
