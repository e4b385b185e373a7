import { abortError, TimeoutError } from '../errors.js';
import { SharedAbortListener } from '../providers/shared-abort-listener.js';
import type { TimeProvider } from '../providers/time.js';

/** Wall-clock time on Node timers. */
export class NodeTimeProvider implements TimeProvider {
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    const delay = Math.max(0, ms);
    if (signal === undefined) return new Promise((resolve) => setTimeout(resolve, delay));
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(abortError(signal));
      };
      const timer = setTimeout(() => {
        listener.remove(onAbort);
        resolve();
      }, delay);
      const listener = SharedAbortListener.add(signal, onAbort);
    });
  }

  now(): number {
    return performance.now();
  }

  /** There is no drift in production: the process clock is the clock. */
  timer(): number {
    return this.now();
  }

  /** A Node timer, cleared by the returned function. */
  callAfter(ms: number, fire: () => void): () => void {
    const timer = setTimeout(fire, Math.max(0, ms));
    return () => clearTimeout(timer);
  }

  timeout<T>(ms: number, work: Promise<T> | ((signal: AbortSignal) => Promise<T>)): Promise<T> {
    // A signal only for work that takes one: making an AbortSignal costs more than the timer.
    let controller: AbortController | null = null;
    let pending: Promise<T>;
    try {
      if (typeof work === 'function') {
        controller = new AbortController();
        pending = work(controller.signal);
      } else {
        pending = work;
      }
    } catch (err) {
      return Promise.reject(err);
    }
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(
        () => {
          const err = new TimeoutError(ms);
          controller?.abort(err);
          reject(err);
        },
        Math.max(0, ms),
      );
      // Clearing on settle keeps a long timeout from holding the event loop open.
      pending.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (err: unknown) => {
          clearTimeout(timer);
          reject(err);
        },
      );
    });
  }
}
