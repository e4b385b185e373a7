/** The port the service listens on, on every process machine. */
export const HTTP_PORT = 8080;

/** The item ids the clients use: few enough that clients often touch the same item at once. */
export const ITEM_IDS: readonly string[] = ['apple', 'banana', 'cherry', 'damson', 'elder'];

/** How a client talks to the service. */
export interface ClientPolicy {
  /** Socket idle time after which a request is abandoned (node:http's `timeout` option). */
  readonly timeoutMs: number;
  /** Attempts per call, the first included. */
  readonly maxAttempts: number;
  /** First backoff before a retry; doubles per retry up to `maxBackoffMs`, with full jitter. */
  readonly baseBackoffMs: number;
  readonly maxBackoffMs: number;
}

/** During the run: give up after a few seconds, so a dead server costs the workload little. */
export const RUN_POLICY: ClientPolicy = { timeoutMs: 1000, maxAttempts: 6, baseBackoffMs: 50, maxBackoffMs: 1000 };

/**
 * In the final check, after chaos: patient enough to outlast a reboot that began just before chaos
 * ended (grace period plus recovery delay) and a run of buggified store faults.
 */
export const CHECK_POLICY: ClientPolicy = { timeoutMs: 3000, maxAttempts: 30, baseBackoffMs: 100, maxBackoffMs: 1000 };
