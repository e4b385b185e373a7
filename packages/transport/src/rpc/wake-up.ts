import type { TimeProvider } from '@moonpool/core';

/**
 * Due within a microsecond (the simulated clock's resolution) counts as due: a sleep rounded to the
 * clock may wake a hair early, and sleeping the difference again would round to nothing and never end.
 */
export const DUE_WITHIN_MS = 0.001;

/** A reason made once: aborting with no reason makes a DOMException, whose stack costs microseconds. */
const DISARMED = Object.freeze({ name: 'Disarmed' });

/**
 * One sleep that can be set for a time and called off: the single timer behind a transport's
 * request timeouts. `wake` runs when the time comes, unless it was disarmed or set again meanwhile.
 */
export class WakeUp {
  /** When the armed sleep ends (Infinity: none armed). */
  private armedAtValue = Number.POSITIVE_INFINITY;
  private armed: AbortController | null = null;

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
    const controller = new AbortController();
    this.armed = controller;
    this.armedAtValue = at;
    this.time.sleep(Math.max(0, at - this.time.now()), controller.signal).then(
      () => {
        if (this.armed !== controller) return;
        this.armed = null;
        this.armedAtValue = Number.POSITIVE_INFINITY;
        this.wake();
      },
      () => undefined, // disarmed
    );
  }

  disarm(): void {
    const armed = this.armed;
    this.armed = null;
    this.armedAtValue = Number.POSITIVE_INFINITY;
    armed?.abort(DISARMED);
  }
}
