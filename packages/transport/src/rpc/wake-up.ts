import { callAfter, type TimeProvider } from '@moonpool/core';

/**
 * Due within a microsecond (the simulated clock's resolution) counts as due: a sleep rounded to the
 * clock may wake a hair early, and sleeping the difference again would round to nothing and never end.
 */
export const DUE_WITHIN_MS = 0.001;

/**
 * One timer that can be set for a time and called off: the single timer behind a transport's
 * request timeouts. `wake` runs when the time comes, unless it was disarmed or set again meanwhile.
 * Called off through `callAfter`, without an `AbortController`.
 */
export class WakeUp {
  /** When the armed timer fires (Infinity: none armed). */
  private armedAtValue = Number.POSITIVE_INFINITY;
  private callOff: (() => void) | null = null;

  constructor(
    private readonly time: TimeProvider,
    private readonly wake: () => void,
  ) {}

  get armedAt(): number {
    return this.armedAtValue;
  }

  /** Wakes at `at` (`time.now()` ms) instead of any time set before. */
  arm(at: number): void {
    this.disarm();
    this.armedAtValue = at;
    this.callOff = callAfter(this.time, Math.max(0, at - this.time.now()), this.fired);
  }

  disarm(): void {
    const callOff = this.callOff;
    this.callOff = null;
    this.armedAtValue = Number.POSITIVE_INFINITY;
    callOff?.();
  }

  private readonly fired = (): void => {
    this.callOff = null;
    this.armedAtValue = Number.POSITIVE_INFINITY;
    this.wake();
  };
}
