import { Worker } from 'node:worker_threads';
import { ProgressCell, setWatchedProgress, watchedProgress } from '../kernel/progress-cell.js';

/** What the watchdog thread is started with. */
export interface WatchdogInit {
  readonly buffer: SharedArrayBuffer;
  readonly stallMs: number;
}

const THREAD_URL = new URL('./watchdog-thread.js', import.meta.url);

/**
 * Watches this thread's simulation from another thread: when an iteration processes no event for
 * `stallMs` of wall-clock time, the watchdog prints the seed or recipe, the simulated time and the
 * last event, and ends the process with exit code 1. Returns the function that stops it.
 */
export function startWatchdog(stallMs: number): () => Promise<void> {
  if (watchedProgress() !== null) return () => Promise.resolve();
  const cell = new ProgressCell();
  const init: WatchdogInit = { buffer: cell.buffer, stallMs };
  const worker = new Worker(THREAD_URL, { workerData: init });
  // It must never keep the process alive, nor take it down by failing itself.
  worker.unref();
  worker.on('error', () => undefined);
  setWatchedProgress(cell);
  return async () => {
    setWatchedProgress(null);
    await worker.terminate();
  };
}
