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
export type AssertionStatus = 'pass' | 'fail' | 'uncovered';

/** Identity keys of an each-bucket. */
export type BucketKeys = Readonly<Record<string, string | number | boolean>>;
/** Quality values of an each-bucket, compared in the order given (first most significant). */
export type BucketQuality = Readonly<Record<string, number>>;

export interface BucketSummary {
  /** Identity: the identity keys sorted by name, as JSON (`{"floor":2,"room":"b"}`). */
  key: string;
  hits: number;
  /** Best quality seen; qualities compare lexicographically in the order their keys were given. */
  quality?: Record<string, number>;
}

export interface AssertionResult {
  msg: string;
  kind: AssertionKind;
  passCount: number;
  failCount: number;
  status: AssertionStatus;
  cmp?: NumericCmp;
  /** Best value seen: max for gt/ge, min for lt/le. */
  watermark?: IntValue;
  /** Most conditions true at once (BooleanSometimesAll). */
  frontier?: number;
  conditions?: { name: string; seenTrue: boolean }[];
  buckets?: BucketSummary[];
  /** A catalogued assertion site that no iteration reached (its counts are zero). */
  unreached?: true;
}

export interface AssertionViolations {
  /** Definite bugs. */
  alwaysViolations: string[];
  /** Statistical: only meaningful with enough iterations. */
  coverageViolations: string[];
}

/** Called on every splitpoint; `bucket` is the bucket key when an each-bucket caused it. */
export type DiscoveryHook = (mark: string, bucket?: string) => void;
