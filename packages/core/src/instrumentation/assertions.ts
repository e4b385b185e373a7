// The assertions of Antithesis' vocabulary (always, sometimes, reachable, numeric, compound). They never
// throw into the caller: a simulation records them (violations fail its iteration); outside one they
// do nothing, so production code can keep them.
import {
  type AssertionRecorder,
  type BucketKeys,
  type BucketQuality,
  currentInstrumentation,
  type IntValue,
  type NumericCmp,
} from './instrumentation.js';

/**
 * The recorder to record into, or `null` outside a simulation (production-safe no-op) and while
 * recording is suppressed (every record method would return at once anyway). Checked before
 * anything else, so the common cases cost one field read and allocate nothing.
 */
function recordingStore(): AssertionRecorder | null {
  const recorder = currentInstrumentation()?.assertions ?? null;
  return recorder === null || recorder.suppressed ? null : recorder;
}

/** Nothing a recording does may throw into the user's code: a failure becomes a warning. */
function recordingFailed(store: AssertionRecorder, err: unknown): void {
  try {
    store.warn(`assertion recording failed: ${String(err)}`);
  } catch {
    // Nothing left to report to; never disturb the caller.
  }
}

function recordBool(
  kind: 'Always' | 'AlwaysOrUnreachable' | 'Sometimes',
  cond: boolean,
  msg: string,
): void {
  const store = recordingStore();
  if (store === null) return;
  try {
    store.recordBool(kind, cond, msg);
  } catch (err) {
    recordingFailed(store, err);
  }
}

function recordNumeric(
  kind: 'NumericAlways' | 'NumericSometimes',
  cmp: NumericCmp,
  value: IntValue,
  threshold: IntValue,
  msg: string,
): void {
  const store = recordingStore();
  if (store === null) return;
  try {
    store.recordNumeric(kind, cmp, value, threshold, msg);
  } catch (err) {
    recordingFailed(store, err);
  }
}

/** `cond` must hold every time it is evaluated. */
export function assertAlways(cond: boolean, msg: string): void {
  recordBool('Always', cond, msg);
}

/** `cond` must hold whenever it is reached; never reaching it is fine. */
export function assertAlwaysOrUnreachable(cond: boolean, msg: string): void {
  recordBool('AlwaysOrUnreachable', cond, msg);
}

/** `cond` should be true at least once over the run (coverage). */
export function assertSometimes(cond: boolean, msg: string): void {
  recordBool('Sometimes', cond, msg);
}

/** This point should be reached at least once over the run (coverage). */
export function assertReachable(msg: string): void {
  const store = recordingStore();
  if (store === null) return;
  try {
    store.recordReachable(msg);
  } catch (err) {
    recordingFailed(store, err);
  }
}

/** Reaching this point is a bug. */
export function assertUnreachable(msg: string): void {
  const store = recordingStore();
  if (store === null) return;
  try {
    store.recordUnreachable(msg);
  } catch (err) {
    recordingFailed(store, err);
  }
}

/** `value > threshold` must hold every time it is evaluated. */
export function assertAlwaysGreaterThan(value: IntValue, threshold: IntValue, msg: string): void {
  recordNumeric('NumericAlways', 'gt', value, threshold, msg);
}

/** `value >= threshold` must hold every time it is evaluated. */
export function assertAlwaysGreaterThanOrEqualTo(
  value: IntValue,
  threshold: IntValue,
  msg: string,
): void {
  recordNumeric('NumericAlways', 'ge', value, threshold, msg);
}

/** `value < threshold` must hold every time it is evaluated. */
export function assertAlwaysLessThan(value: IntValue, threshold: IntValue, msg: string): void {
  recordNumeric('NumericAlways', 'lt', value, threshold, msg);
}

/** `value <= threshold` must hold every time it is evaluated. */
export function assertAlwaysLessThanOrEqualTo(
  value: IntValue,
  threshold: IntValue,
  msg: string,
): void {
  recordNumeric('NumericAlways', 'le', value, threshold, msg);
}

/** `value > threshold` should hold at least once over the run (coverage); a new highest `value` is a splitpoint. */
export function assertSometimesGreaterThan(
  value: IntValue,
  threshold: IntValue,
  msg: string,
): void {
  recordNumeric('NumericSometimes', 'gt', value, threshold, msg);
}

/** `value >= threshold` should hold at least once over the run (coverage); a new highest `value` is a splitpoint. */
export function assertSometimesGreaterThanOrEqualTo(
  value: IntValue,
  threshold: IntValue,
  msg: string,
): void {
  recordNumeric('NumericSometimes', 'ge', value, threshold, msg);
}

/** `value < threshold` should hold at least once over the run (coverage); a new lowest `value` is a splitpoint. */
export function assertSometimesLessThan(value: IntValue, threshold: IntValue, msg: string): void {
  recordNumeric('NumericSometimes', 'lt', value, threshold, msg);
}

/** `value <= threshold` should hold at least once over the run (coverage); a new lowest `value` is a splitpoint. */
export function assertSometimesLessThanOrEqualTo(
  value: IntValue,
  threshold: IntValue,
  msg: string,
): void {
  recordNumeric('NumericSometimes', 'le', value, threshold, msg);
}

/** Guides exploration toward more of the named conditions being true at once. */
export function assertSometimesAll(
  msg: string,
  conditions: Readonly<Record<string, boolean>>,
): void {
  const store = recordingStore();
  if (store === null) return;
  try {
    store.recordSometimesAll(msg, conditions);
  } catch (err) {
    recordingFailed(store, err);
  }
}

/**
 * One bucket per combination of identity `keys`; each should be seen. `quality` values (compared in
 * the order given, first most significant) re-split a bucket when they improve.
 */
export function assertSometimesEach(
  msg: string,
  keys: BucketKeys,
  quality?: BucketQuality,
): void {
  const store = recordingStore();
  if (store === null) return;
  try {
    store.recordEach(msg, keys, quality);
  } catch (err) {
    recordingFailed(store, err);
  }
}
