import type { AssertionKind, AssertionResult, AssertionStatus } from './types.js';

/** Always-style: one failure is a definite bug. Coverage-style: it must succeed at least once (statistical). */
export type AssertionFamily = 'always' | 'coverage';

/** Renders a count in a text report (thousands separators are the report's choice). */
export type CountFormat = (n: number) => string;

/** Everything that differs between assertion kinds once they are recorded. */
export interface AssertionKindSpec {
  readonly family: AssertionFamily;
  status(pass: number, fail: number): AssertionStatus;
  /**
   * The violation text of a result whose status is not `pass`, after `label` (kind and message);
   * null for kinds that only guide exploration and are never reported as violated.
   */
  readonly violation: ((r: AssertionResult, label: string) => string) | null;
  /**
   * What it means that a catalogued site of this kind was never reached: a definite bug (an
   * `assertAlways` must be hit), a coverage gap, or nothing (it may legitimately never run).
   */
  readonly neverReached: AssertionFamily | null;
  /** Short name in the text report's assertion table (a numeric kind's comparison sign follows it). */
  readonly label: string;
  /** The counts column of the text report's assertion table. */
  counts(r: AssertionResult, n: CountFormat): string;
}

const ALWAYS_STYLE = {
  family: 'always',
  status: (_pass: number, fail: number): AssertionStatus => (fail > 0 ? 'fail' : 'pass'),
} as const;

const COVERAGE_STYLE = {
  family: 'coverage',
  status: (pass: number): AssertionStatus => (pass > 0 ? 'pass' : 'uncovered'),
} as const;

const total = (r: AssertionResult): number => r.passCount + r.failCount;
const best = (r: AssertionResult): string => (r.watermark === undefined ? '' : `, watermark ${r.watermark}`);
const watermark = (r: AssertionResult): string => (r.watermark === undefined ? '' : `  watermark ${r.watermark}`);
const failedTimes = (r: AssertionResult, label: string): string =>
  `${label} failed ${r.failCount} of ${total(r)} times${best(r)}`;
const passFail = (r: AssertionResult, n: CountFormat): string => `${n(r.passCount)} pass  ${n(r.failCount)} fail`;
const ratio = (r: AssertionResult, n: CountFormat): string => {
  const all = total(r);
  const percent = all > 0 ? ((r.passCount / all) * 100).toFixed(1) : '0.0';
  return `${n(r.passCount)} / ${n(all)} (${percent}%)`;
};

/** One entry per kind: a new kind does not compile until it says how it is judged and shown. */
export const ASSERTION_KINDS: Readonly<Record<AssertionKind, AssertionKindSpec>> = {
  Always: {
    ...ALWAYS_STYLE,
    neverReached: 'always',
    violation: failedTimes,
    label: 'always',
    counts: passFail,
  },
  AlwaysOrUnreachable: {
    ...ALWAYS_STYLE,
    neverReached: null,
    violation: failedTimes,
    label: 'always-or-unr',
    counts: passFail,
  },
  NumericAlways: {
    ...ALWAYS_STYLE,
    neverReached: null,
    violation: failedTimes,
    label: 'always',
    counts: (r, n) => passFail(r, n) + watermark(r),
  },
  // Reaching it is its failure.
  Unreachable: {
    ...ALWAYS_STYLE,
    neverReached: null,
    violation: (r, label) => `${label} was reached ${r.failCount} times`,
    label: 'unreachable',
    counts: (r, n) => `reached ${n(r.failCount)} times`,
  },
  Sometimes: {
    ...COVERAGE_STYLE,
    neverReached: 'coverage',
    violation: (r, label) => `${label} was never true (${total(r)} evaluations)`,
    label: 'sometimes',
    counts: ratio,
  },
  Reachable: {
    ...COVERAGE_STYLE,
    neverReached: 'coverage',
    violation: (_r, label) => `${label} was never reached`,
    label: 'reachable',
    counts: (r, n) => `reached ${n(r.passCount)} times`,
  },
  NumericSometimes: {
    ...COVERAGE_STYLE,
    neverReached: 'coverage',
    violation: (r, label) => `${label} never succeeded (${total(r)} evaluations${best(r)})`,
    label: 'sometimes',
    counts: (r, n) => ratio(r, n) + watermark(r),
  },
  // Its frontier steers exploration; all conditions true at once is a goal, not a requirement.
  BooleanSometimesAll: {
    ...COVERAGE_STYLE,
    neverReached: 'coverage',
    violation: null,
    label: 'sometimes-all',
    counts: (r, n) => `${ratio(r, n)}  frontier ${r.frontier ?? 0}/${r.conditions?.length ?? 0}`,
  },
  // Its buckets steer exploration; which of them get hit is open.
  EachBucket: {
    ...COVERAGE_STYLE,
    neverReached: 'coverage',
    violation: null,
    label: 'each',
    counts: (r, n) => `${n(r.buckets?.length ?? 0)} buckets  ${n(r.passCount)} hits`,
  },
};
