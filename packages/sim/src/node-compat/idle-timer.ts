import type { TimeProvider } from '@moonpool/core';

/**
 * `net.Socket`'s idle timeout on a `TimeProvider`, never on real timers. Activity only records the
 * time; the one pending sleep re-arms itself for the remainder when it wakes, so a busy socket costs
 * one timer per idle period instead of one per read or write.
 */
export class IdleTimer {
  readonly #time: TimeProvider;
  readonly #onIdle: () => void;
  #ms = 0;
  #lastActivity = 0;
  #armed: AbortController | null = null;

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
    if (this.#armed === null) this.#arm(this.#ms);
  }

  cancel(): void {
    this.#armed?.abort();
    this.#armed = null;
  }

  #arm(delay: number): void {
    const controller = new AbortController();
    this.#armed = controller;
    this.#time.sleep(delay, controller.signal).then(
      () => {
        if (this.#armed !== controller) return;
        const remaining = this.#ms - (this.#time.now() - this.#lastActivity);
        // Below a microsecond (the simulator's resolution) a re-armed sleep could not advance time.
        if (remaining >= 0.001) {
          this.#arm(remaining);
          return;
        }
        this.#armed = null;
        this.#onIdle();
      },
      () => {}, // cancelled
    );
  }
}
