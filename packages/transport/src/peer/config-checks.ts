/** A duration in ms: finite, >= 0 (> 0 with `positive`). Throws a RangeError naming the field. */
export function checkMs(field: string, value: unknown, { positive = false } = {}): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (positive && value === 0)) {
    throw new RangeError(`${field} must be a number of ms ${positive ? '> 0' : '>= 0'}, got ${String(value)}`);
  }
  return value;
}

/** An integer >= `min`. Throws a RangeError naming the field. */
export function checkCount(field: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new RangeError(`${field} must be an integer >= ${min}, got ${String(value)}`);
  }
  return value;
}
