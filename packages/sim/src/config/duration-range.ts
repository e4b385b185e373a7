import type { SimRng } from '../kernel/rng.js';

/**
 * A half-open range [minMs, maxMs) of milliseconds, like Rust's `Range<Duration>`. Fractions are
 * allowed (50 µs = 0.05). Plain data so configurations can be sent to worker threads.
 */
export interface DurationRange {
  /** Shortest duration, in ms (inclusive, >= 0). */
  readonly minMs: number;
  /** Longest duration, in ms (exclusive, >= `minMs`; equal to it for a single point). */
  readonly maxMs: number;
}

/** A validated range; `field` names it in the error message. */
export function durationRange(
  minMs: number,
  maxMs: number,
  field = 'durationRange',
): DurationRange {
  if (typeof minMs !== 'number' || !Number.isFinite(minMs) || minMs < 0) {
    throw new RangeError(`${field}.minMs must be a finite number >= 0, got ${String(minMs)}`);
  }
  if (typeof maxMs !== 'number' || !Number.isFinite(maxMs) || maxMs < minMs) {
    throw new RangeError(
      `${field}.maxMs must be finite and >= minMs (${minMs}), got ${String(maxMs)}`,
    );
  }
  return Object.freeze({ minMs, maxMs });
}

/**
 * A duration drawn uniformly from [minMs, maxMs), or minMs when the range is a single point. Always
 * exactly one draw, so the draw count does not depend on the configuration.
 */
export function sampleDuration(range: DurationRange, rng: Pick<SimRng, 'random'>): number {
  const { minMs, maxMs } = range;
  const value = minMs + rng.random() * (maxMs - minMs);
  // Rounding can land on maxMs when the span is tiny next to minMs; keep the range half-open.
  return value < maxMs ? value : minMs;
}

// Field checks shared by the configuration modules. Each returns the value or throws a RangeError
// naming the field.

export function checkDurationRange(field: string, value: unknown): DurationRange {
  if (typeof value !== 'object' || value === null) {
    throw new RangeError(`${field} must be a { minMs, maxMs } range, got ${String(value)}`);
  }
  const { minMs, maxMs } = value as Record<string, unknown>;
  return durationRange(minMs as number, maxMs as number, field);
}

export function checkProbability(field: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw new RangeError(`${field} must be a probability in [0, 1], got ${String(value)}`);
  }
  return value;
}

export function checkNonNegative(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`${field} must be a finite number >= 0, got ${String(value)}`);
  }
  return value;
}

export function checkAtLeast(field: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new RangeError(`${field} must be a finite number >= ${min}, got ${String(value)}`);
  }
  return value;
}

export function checkInteger(field: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`${field} must be an integer >= ${min}, got ${String(value)}`);
  }
  return value;
}

export function checkBoolean(field: string, value: unknown): boolean {
  if (typeof value !== 'boolean') {
    throw new RangeError(`${field} must be a boolean, got ${String(value)}`);
  }
  return value;
}

export function checkOneOf<T extends string>(
  field: string,
  value: unknown,
  allowed: readonly T[],
): T {
  if (!allowed.includes(value as T)) {
    throw new RangeError(`${field} must be one of ${allowed.join(', ')}, got ${String(value)}`);
  }
  return value as T;
}

/** Throws for a key `template` lacks: a misspelt field would otherwise be silently ignored. */
export function checkKnownFields(template: object, value: unknown, prefix: string): void {
  if (typeof value !== 'object' || value === null) {
    throw new RangeError(
      `${prefix.replace(/\.$/, '') || 'configuration'} must be an object, got ${String(value)}`,
    );
  }
  for (const key of Object.keys(value)) {
    if (!Object.hasOwn(template, key)) throw new RangeError(`${prefix}${key} is not a known field`);
  }
}

/** `partial` laid over `defaults`; undefined entries keep the default, unknown keys throw. */
export function mergeOver<T extends object>(defaults: T, partial: object, prefix: string): T {
  checkKnownFields(defaults, partial, prefix);
  const out: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  for (const [key, value] of Object.entries(partial)) if (value !== undefined) out[key] = value;
  return out as T;
}

/** A uniformly chosen element of a non-empty list. */
export function pickOne<T>(rng: Pick<SimRng, 'range'>, values: readonly T[]): T {
  const value = values[rng.range(0, values.length)];
  if (value === undefined) throw new RangeError('pickOne needs a non-empty list');
  return value;
}
