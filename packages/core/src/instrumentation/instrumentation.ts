// The seam between code under test and a simulator. Production code calls the assertion and buggify
// entry points of this folder freely: they do nothing until a simulation installs its
// implementation here for the time it runs (the way Antithesis' SDK works), so a library can be
// instrumented without depending on the simulator.

/** Numeric assertions take integers; `bigint` keeps 64-bit values exact. */
export type IntValue = number | bigint;
/** How a numeric assertion compares `value` with `threshold`: `>` (`gt`), `>=` (`ge`), `<` (`lt`), `<=` (`le`). */
export type NumericCmp = 'gt' | 'ge' | 'lt' | 'le';
/** Identity keys of an each-bucket. */
export type BucketKeys = Readonly<Record<string, string | number | boolean>>;
/** Quality values of an each-bucket, compared in the order given (first most significant). */
export type BucketQuality = Readonly<Record<string, number>>;

/** Where assertions are recorded while a simulation runs. */
export interface AssertionRecorder {
  /** While true every record call is skipped (a replayed prefix an ancestor already counted). */
  readonly suppressed: boolean;
  recordBool(kind: 'Always' | 'AlwaysOrUnreachable' | 'Sometimes', cond: boolean, msg: string): void;
  recordNumeric(
    kind: 'NumericAlways' | 'NumericSometimes',
    cmp: NumericCmp,
    value: IntValue,
    threshold: IntValue,
    msg: string,
  ): void;
  recordReachable(msg: string): void;
  recordUnreachable(msg: string): void;
  recordSometimesAll(msg: string, conditions: Readonly<Record<string, boolean>>): void;
  recordEach(msg: string, keys: BucketKeys, quality?: BucketQuality): void;
  /** A recording that failed is reported here, never thrown into the caller. */
  warn(message: string): void;
}

/** What a running simulation installs. */
export interface Instrumentation {
  readonly assertions: AssertionRecorder;
  /** Whether the fault site `site` misbehaves now (`probability`: this call's firing chance). */
  buggify(site: string, probability?: number): boolean;
}

let installed: Instrumentation | null = null;

/** The running simulation's implementation, or null (production: every entry point is a no-op). */
export function currentInstrumentation(): Instrumentation | null {
  return installed;
}

/** Installs a simulation's implementation for as long as it runs (the simulator calls this). */
export function installInstrumentation(instrumentation: Instrumentation): void {
  installed = instrumentation;
}

/** Removes `instrumentation` if it is the one installed. */
export function uninstallInstrumentation(instrumentation: Instrumentation): void {
  if (installed === instrumentation) installed = null;
}
