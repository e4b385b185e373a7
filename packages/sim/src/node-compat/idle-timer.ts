import { callAfter, type TimeProvider } from '@moonpool/core';

/**
 * `net.Socket`'s idle timeout on a `TimeProvider`, never on real timers. Activity only records the
 * time; the one pending timer re-arms itself for the remainder when it fires, so a busy socket costs
 * one timer per idle period instead of one per read or write. node:http resets a socket's timeout
 * on every request and response, so the timer is called off through `callAfter`, without an
 * `AbortController` (making and aborting one cost more than the rest of a simulated request).
 */
export class IdleTimer {
  readonly #time: TimeProvider;
  readonly #onIdle: () => void;
  #ms = 0;
  #lastActivity = 0;
  /** Calls the pending timer off; null when none is pending. */
  #callOff: (() => void) | null = null;

  constructor(time: TimeProvider, onIdle: () => void) {
    this.#time = time;
    this.#onIdle = onIdle;
  }

  /** Fires `onIdle` once after `ms` without activity; 0 disables. */
  set(ms: number): void {
    this.cancel();
    this.#ms = ms;
    if (ms > 0) {
      this.#lastActivity = this.#time.now();
      this.#arm(ms);
    }
  }

  /** Records activity; after the timer fired, activity re-arms it (like `Timeout.refresh()`). */
  touch(): void {
    if (this.#ms === 0) return;
    this.#lastActivity = this.#time.now();
    if (this.#callOff === null) this.#arm(this.#ms);
  }

  cancel(): void {
    const callOff = this.#callOff;
    this.#callOff = null;
    callOff?.();
  }

  #arm(delay: number): void {
    this.#callOff = callAfter(this.#time, delay, this.#fired);
  }

  readonly #fired = (): void => {
    const remaining = this.#ms - (this.#time.now() - this.#lastActivity);
    // Below a microsecond (the simulator's resolution) a re-armed timer could not advance time.
    if (remaining >= 0.001) {
      this.#arm(remaining);
      return;
    }
    this.#callOff = null;
    this.#onIdle();
  };
}
