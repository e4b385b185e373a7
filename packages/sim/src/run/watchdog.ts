import { Worker } from 'node:worker_threads';
import {
  ProgressCell,
  setWatchedProgress,
  type ThreadWatch,
  watchedProgress,
} from '../kernel/progress-cell.js';

/** What the watchdog thread is started with: the cell of the thread that started it. */
export interface WatchdogInit {
  readonly buffer: SharedArrayBuffer;
  readonly stallMs: number;
}

/** Messages to the watchdog thread: more cells to watch (other threads'), or one to forget. */
export type WatchdogMessage =
  | { readonly kind: 'watch'; readonly id: number; readonly buffer: SharedArrayBuffer; readonly thread: string }
  | { readonly kind: 'unwatch'; readonly id: number };

/** A running watchdog: `watchThread` adds another thread's cell (an exploration worker's). */
export interface Watchdog {
  stop(): Promise<void>;
  watchThread(name: string): ThreadWatch;
}

const THREAD_URL = new URL('./watchdog-thread.js', import.meta.url);

/**
 * Watches this thread's simulation from another thread: when an iteration processes no event for
 * `stallMs` of wall-clock time, the watchdog prints the seed or recipe, the simulated time and the
 * last event, and ends the process with exit code 1. Null when this thread is already watched.
 */
export function startWatchdog(stallMs: number): Watchdog | null {
  if (watchedProgress() !== null) return null;
  const cell = new ProgressCell();
  const init: WatchdogInit = { buffer: cell.buffer, stallMs };
  const worker = new Worker(THREAD_URL, { workerData: init });
  // It must never keep the process alive, nor take it down by failing itself.
  worker.unref();
  worker.on('error', () => undefined);
  setWatchedProgress(cell);
  let ids = 0;
  const send = (message: WatchdogMessage): void => worker.postMessage(message);
  return {
    async stop() {
      setWatchedProgress(null);
      await worker.terminate();
    },
    watchThread(thread) {
      const id = ++ids;
      const { buffer } = new ProgressCell();
      send({ kind: 'watch', id, buffer, thread });
      return { buffer, release: () => send({ kind: 'unwatch', id }) };
    },
  };
}
