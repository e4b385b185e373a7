/**
 * Time as a provider: simulated code never reads the wall clock or starts real timers.
 * All durations are milliseconds (fractional allowed).
 */
export interface TimeProvider {
  /** Resolves after `ms`; rejects with an `AbortError` if `signal` aborts first (the timer is cancelled). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Exact current time in milliseconds. Use it for scheduling. */
  now(): number;
  /**
   * This process's own clock in milliseconds. In simulation it may run ahead of `now()` by up to the
   * configured clock drift; use it for leases and deadlines. Equal to `now()` in production.
   */
  timer(): number;
  /**
   * Settles like `work`, or rejects with a `TimeoutError` once `ms` have passed. A function receives an
   * `AbortSignal` that is aborted on timeout. The timer is cancelled as soon as `work` settles.
   */
  timeout<T>(ms: number, work: Promise<T> | ((signal: AbortSignal) => Promise<T>)): Promise<T>;
  /**
   * Optional: calls `fire` after `ms` unless the returned function is called first. The same timer as
   * `sleep(ms, signal)`, called off without an `AbortSignal` (making and aborting one costs more than
   * the timer). Call it through {@link callAfter}, which falls back to `sleep` when a provider lacks it.
   */
  callAfter?(ms: number, fire: () => void): () => void;
}
