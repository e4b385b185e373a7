import type { TimeProvider } from '@moonpool/core';

/** FoundationDB's smoothing time for queue models: changes fade by a factor e every second. */
export const DEFAULT_E_FOLDING_MS = 1000;

/** Throws a RangeError unless `ms` is a finite number > 0. */
export function checkEFoldingMs(ms: unknown): number {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || !(ms > 0)) {
    throw new RangeError(`eFoldingMs must be a number of ms > 0, got ${String(ms)}`);
  }
  return ms;
}

/**
 * An exponential moving average of a quantity that changes in steps (a count of requests out). The
 * estimate follows the total continuously: after `t` ms it has closed the fraction
 * 1 − e^(−t / eFoldingMs) of the gap. A step is therefore not seen at the instant it happens, only
 * as time passes, so a burst of changes at one instant does not swing it, and an old peak fades.
 *
 * Time is `time.now()` (simulated time in simulation, so the same run gives the same numbers); every
 * method takes `now` to spare the clock read when the caller has it already.
 */
export class Smoother {
  private totalValue: number;
  private estimate: number;
  /** When the estimate was last brought up to date. */
  private at: number;

  constructor(
    private readonly time: TimeProvider,
    /** Time, in ms, over which the estimate closes all but 1/e of its gap to the total (> 0; default 1000). */
    readonly eFoldingMs: number = DEFAULT_E_FOLDING_MS,
    initial = 0,
  ) {
    checkEFoldingMs(eFoldingMs);
    if (typeof initial !== 'number' || !Number.isFinite(initial)) {
      throw new RangeError(`Smoother's initial value must be a finite number, got ${String(initial)}`);
    }
    this.totalValue = initial;
    this.estimate = initial;
    this.at = time.now();
  }

  /** The quantity itself, unsmoothed. */
  get total(): number {
    return this.totalValue;
  }

  /** Adds `delta` to the total (from now on: the estimate moves toward it from here). */
  addDelta(delta: number, now: number = this.time.now()): void {
    this.advance(now);
    this.totalValue += delta;
  }

  /** Replaces the total (from now on: the estimate moves toward it from here). */
  setTotal(total: number, now: number = this.time.now()): void {
    this.advance(now);
    this.totalValue = total;
  }

  /** The smoothed total at `now`. */
  smoothTotal(now: number = this.time.now()): number {
    this.advance(now);
    return this.estimate;
  }

  private advance(now: number): void {
    const elapsed = now - this.at;
    // A clock read earlier than the last one (a caller's stale `now`) changes nothing.
    if (!(elapsed > 0)) return;
    this.at = now;
    this.estimate += (this.totalValue - this.estimate) * -Math.expm1(-elapsed / this.eFoldingMs);
  }
}
