function checkCount(n: number, what: string): number {
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError(`${what} must be a non-negative integer, got ${n}`);
  return n;
}

/** How many process instances an iteration boots: fixed, or drawn from an inclusive range per seed. */
export type ProcessCount =
  | { kind: 'Fixed'; n: number }
  | { kind: 'Range'; min: number; max: number };
/** Constructors of {@link ProcessCount}; both throw a `RangeError` on negative or non-integer counts. */
export const ProcessCount = {
  /** Exactly `n` processes in every iteration. */
  Fixed: (n: number): ProcessCount => ({ kind: 'Fixed', n: checkCount(n, 'ProcessCount') }),
  /** Inclusive range `min..=max`. */
  Range: (min: number, max: number): ProcessCount => {
    checkCount(min, 'ProcessCount.Range min');
    checkCount(max, 'ProcessCount.Range max');
    if (min > max) throw new RangeError(`ProcessCount.Range: min ${min} > max ${max}`);
    return { kind: 'Range', min, max };
  },
};

/** How many workload instances an iteration starts: fixed, or drawn from a half-open range per seed. */
export type WorkloadCount =
  | { kind: 'Fixed'; n: number }
  | { kind: 'Random'; min: number; max: number };
/** Constructors of {@link WorkloadCount}; both throw a `RangeError` on negative or non-integer counts. */
export const WorkloadCount = {
  /** Exactly `n` instances in every iteration. */
  Fixed: (n: number): WorkloadCount => ({ kind: 'Fixed', n: checkCount(n, 'WorkloadCount') }),
  /** Half-open range `min..max`. */
  Random: (min: number, max: number): WorkloadCount => {
    checkCount(min, 'WorkloadCount.Random min');
    checkCount(max, 'WorkloadCount.Random max');
    if (min >= max) throw new RangeError(`WorkloadCount.Random: empty range ${min}..${max}`);
    return { kind: 'Random', min, max };
  },
};

/** How workload instances get client ids (FoundationDB's `WorkloadContext.clientId`). */
export type ClientId =
  | { kind: 'Fixed'; base: number }
  | { kind: 'RandomRange'; min: number; max: number };
/** Constructors of {@link ClientId}; both throw a `RangeError` on negative or non-integer values. */
export const ClientId = {
  /** Instance i gets `base + i`. The default is `Fixed(0)`. */
  Fixed: (base: number): ClientId => ({
    kind: 'Fixed',
    base: checkCount(base, 'ClientId.Fixed base'),
  }),
  /** Each instance draws from `min..max` (half-open); ids are not guaranteed unique. */
  RandomRange: (min: number, max: number): ClientId => {
    checkCount(min, 'ClientId.RandomRange min');
    checkCount(max, 'ClientId.RandomRange max');
    if (min >= max) throw new RangeError(`ClientId.RandomRange: empty range ${min}..${max}`);
    return { kind: 'RandomRange', min, max };
  },
};
