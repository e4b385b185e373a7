/** One kind per assertion family; the four comparisons of a numeric family share a kind (see `cmp`). */
export type AssertionKind =
  | 'Always'
  | 'AlwaysOrUnreachable'
  | 'Sometimes'
  | 'Reachable'
  | 'Unreachable'
  | 'NumericAlways'
  | 'NumericSometimes'
  | 'BooleanSometimesAll'
  | 'EachBucket';

export type NumericCmp = 'gt' | 'ge' | 'lt' | 'le';
/** Numeric assertions take integers; `bigint` keeps 64-bit values exact (JS compares mixed types exactly). */
export type IntValue = number | bigint;
/**
 * Verdict on one assertion: `'fail'` when an always-style one failed (or an `assertAlways` was never
 * reached), `'uncovered'` when a coverage-style one never succeeded, else `'pass'`.
 */
export type AssertionStatus = 'pass' | 'fail' | 'uncovered';

/** Identity keys of an each-bucket. */
export type BucketKeys = Readonly<Record<string, string | number | boolean>>;
/** Quality values of an each-bucket, compared in the order given (first most significant). */
export type BucketQuality = Readonly<Record<string, number>>;

/** One bucket of an `assertSometimesEach` site: a combination of identity keys that was seen. */
export interface BucketSummary {
  /** Identity: the identity keys sorted by name, as JSON (`{"floor":2,"room":"b"}`). */
  key: string;
  /** Times an `assertSometimesEach` call landed in this bucket. */
  hits: number;
  /** Best quality seen; qualities compare lexicographically in the order their keys were given. */
  quality?: Record<string, number>;
}

/** What one assertion recorded: a row of the report's assertion table. */
export interface AssertionResult {
  /** The assertion's message, which is its identity. */
  msg: string;
  /** Which assertion function recorded it. */
  kind: AssertionKind;
  /**
   * Evaluations that held: for Reachable the times reached, for EachBucket the hits of all buckets, for
   * BooleanSometimesAll the evaluations with every condition true.
   */
  passCount: number;
  /**
   * Evaluations that did not hold: for Unreachable the times reached, for BooleanSometimesAll the
   * evaluations with some condition false; always 0 for Reachable and EachBucket.
   */
  failCount: number;
  /** The verdict from the counts (see {@link AssertionStatus}). */
  status: AssertionStatus;
  /** The comparison of a numeric kind; absent for the others. */
  cmp?: NumericCmp;
  /** Best value seen: max for gt/ge, min for lt/le. */
  watermark?: IntValue;
  /** Most conditions true at once (BooleanSometimesAll). */
  frontier?: number;
  /** Each named condition and whether it was ever true (BooleanSometimesAll only). */
  conditions?: { name: string; seenTrue: boolean }[];
  /** The buckets seen (EachBucket only). */
  buckets?: BucketSummary[];
  /** A catalogued assertion site that no iteration reached (its counts are zero). */
  unreached?: true;
}

/** The violations of a run as report lines, one per violated assertion. */
export interface AssertionViolations {
  /** Definite bugs. */
  alwaysViolations: string[];
  /** Statistical: only meaningful with enough iterations. */
  coverageViolations: string[];
}

/** Called on every splitpoint; `bucket` is the bucket key when an each-bucket caused it. */
export type DiscoveryHook = (mark: string, bucket?: string) => void;
