/** How many iterations a run makes: a fixed count, or as many as fit in a wall-clock time limit. */
export type IterationControl =
  | { kind: 'FixedCount'; n: number }
  | { kind: 'TimeLimit'; ms: number };
/** Constructors of {@link IterationControl}; they throw a `RangeError` on invalid arguments. */
export const IterationControl = {
  /** Exactly `n` iterations (an integer >= 1). */
  FixedCount: (n: number): IterationControl => {
    if (!Number.isInteger(n) || n < 1)
      throw new RangeError(`FixedCount must be an integer >= 1, got ${n}`);
    return { kind: 'FixedCount', n };
  },
  /** As many iterations as fit in `ms` of real (wall-clock) time, at least one; not simulated time. */
  TimeLimit: (ms: number): IterationControl => {
    if (!(ms > 0) || !Number.isFinite(ms))
      throw new RangeError(`TimeLimit (a wall-clock budget) must be a positive number of ms, got ${ms}`);
    return { kind: 'TimeLimit', ms };
  },
};
