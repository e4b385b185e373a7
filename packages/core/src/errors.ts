/** Node-style error codes used by the network and storage providers, in production and simulation. */
export type IoErrorCode =
  | 'ECONNREFUSED'
  | 'ECONNRESET'
  | 'ETIMEDOUT'
  | 'EPIPE'
  | 'ENOTCONN'
  | 'EADDRINUSE'
  | 'EADDRNOTAVAIL'
  | 'ENOENT'
  | 'EEXIST'
  | 'EBADF'
  | 'EINVAL'
  | 'EIO';

/** An I/O failure from a provider. `code` matches Node's `err.code` for the same situation. */
export class IoError extends Error {
  /** Always `'IoError'`, as `err.name` shows in messages and stack traces. */
  override readonly name = 'IoError';
  constructor(
    /** What went wrong, as a Node error code (`ECONNREFUSED`, `ENOENT`, ...); also the start of the message. */
    readonly code: IoErrorCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

/** Rejection of `TimeProvider.timeout` when the time runs out first. */
export class TimeoutError extends Error {
  /** Always `'TimeoutError'`, as `err.name` shows in messages and stack traces. */
  override readonly name = 'TimeoutError';
  constructor(
    /** The time limit that ran out, in milliseconds. */
    readonly ms: number,
  ) {
    super(`timed out after ${ms} ms`);
  }
}

/** A simulation could not be configured or run; the message says why. */
export class SimulationError extends Error {
  /** Always `'SimulationError'`, as `err.name` shows in messages and stack traces. */
  override readonly name = 'SimulationError';
}

/** The `AbortError` a cancelled sleep rejects with (same name as the DOM one). */
export function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  const err = new Error('The operation was aborted');
  err.name = 'AbortError';
  return err;
}
