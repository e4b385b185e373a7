/**
 * Simulated time is an exact integer number of microseconds (a safe integer: 285 years of range).
 * The public API speaks milliseconds, fractional allowed; conversions round to the microsecond.
 */
export const TICKS_PER_MS = 1000;

export function msToTicks(ms: number): number {
  if (!Number.isFinite(ms) || ms < 0)
    throw new RangeError(`duration must be a finite number of ms >= 0, got ${ms}`);
  return Math.round(ms * TICKS_PER_MS);
}

export function ticksToMs(ticks: number): number {
  return ticks / TICKS_PER_MS;
}

/** Helpers for writing durations: `seconds(2)`, `micros(50)`. */
export const seconds = (s: number): number => s * 1000;
/** `m` minutes in ms: `minutes(2)` is 120 000. */
export const minutes = (m: number): number => m * 60_000;
/** `us` microseconds in ms: `micros(50)` is 0.05 (simulated time is kept to the microsecond). */
export const micros = (us: number): number => us / 1000;
