import { currentSimulation } from '../kernel/current.js';
import type { AssertionResult, AssertionStore, IntValue } from './store.js';
import { validateResults } from './store.js';

/**
 * Runs `fn` on the running simulation's store. Outside a simulation it does nothing (production-safe),
 * and nothing it does may throw into the user's code: a failure becomes a warning.
 */
function record(fn: (store: AssertionStore) => void): void {
  const sim = currentSimulation();
  if (sim === null) return;
  try {
    fn(sim.assertions);
  } catch (err) {
    try {
      sim.assertions.warn(`assertion recording failed: ${String(err)}`);
    } catch {
      // Nothing left to report to; never disturb the caller.
    }
  }
}

/** `cond` must hold every time it is evaluated. */
export function assertAlways(cond: boolean, msg: string): void {
  record((s) => s.recordBool('Always', cond, msg));
}

/** `cond` must hold whenever it is reached; never reaching it is fine. */
export function assertAlwaysOrUnreachable(cond: boolean, msg: string): void {
  record((s) => s.recordBool('AlwaysOrUnreachable', cond, msg));
}

/** `cond` should be true at least once over the run (coverage). */
export function assertSometimes(cond: boolean, msg: string): void {
  record((s) => s.recordBool('Sometimes', cond, msg));
}

/** This point should be reached at least once over the run (coverage). */
export function assertReachable(msg: string): void {
  record((s) => s.recordReachable(msg));
}

/** Reaching this point is a bug. */
export function assertUnreachable(msg: string): void {
  record((s) => s.recordUnreachable(msg));
}

export function assertAlwaysGreaterThan(value: IntValue, threshold: IntValue, msg: string): void {
  record((s) => s.recordNumeric('NumericAlways', 'gt', value, threshold, msg));
}

export function assertAlwaysGreaterThanOrEqualTo(
  value: IntValue,
  threshold: IntValue,
  msg: string,
): void {
  record((s) => s.recordNumeric('NumericAlways', 'ge', value, threshold, msg));
}

export function assertAlwaysLessThan(value: IntValue, threshold: IntValue, msg: string): void {
  record((s) => s.recordNumeric('NumericAlways', 'lt', value, threshold, msg));
}

export function assertAlwaysLessThanOrEqualTo(
  value: IntValue,
  threshold: IntValue,
  msg: string,
): void {
  record((s) => s.recordNumeric('NumericAlways', 'le', value, threshold, msg));
}

export function assertSometimesGreaterThan(
  value: IntValue,
  threshold: IntValue,
  msg: string,
): void {
  record((s) => s.recordNumeric('NumericSometimes', 'gt', value, threshold, msg));
}

export function assertSometimesGreaterThanOrEqualTo(
  value: IntValue,
  threshold: IntValue,
  msg: string,
): void {
  record((s) => s.recordNumeric('NumericSometimes', 'ge', value, threshold, msg));
}

export function assertSometimesLessThan(value: IntValue, threshold: IntValue, msg: string): void {
  record((s) => s.recordNumeric('NumericSometimes', 'lt', value, threshold, msg));
}

export function assertSometimesLessThanOrEqualTo(
  value: IntValue,
  threshold: IntValue,
  msg: string,
): void {
  record((s) => s.recordNumeric('NumericSometimes', 'le', value, threshold, msg));
}

/** Guides exploration toward more of the named conditions being true at once. */
export function assertSometimesAll(
  msg: string,
  conditions: Readonly<Record<string, boolean>>,
): void {
  record((s) => s.recordSometimesAll(msg, conditions));
}

/**
 * One bucket per combination of identity `keys`; each should be seen. `quality` values (compared in
 * the order given, first most significant) re-split a bucket when they improve.
 */
export function assertSometimesEach(
  msg: string,
  keys: Readonly<Record<string, string | number | boolean>>,
  quality?: Readonly<Record<string, number>>,
): void {
  record((s) => s.recordEach(msg, keys, quality));
}

/** The running simulation's assertion results, or `[]` outside a simulation. */
export function assertionResults(): AssertionResult[] {
  return currentSimulation()?.assertions.results() ?? [];
}

/** Forgets the running simulation's assertion statistics. */
export function resetAssertions(): void {
  currentSimulation()?.assertions.reset();
}

/**
 * For tests: throws an Error listing the always-violations of `input` (assertion results or a report
 * with `alwaysViolations`; by default the running simulation's results). Coverage gaps do not throw.
 */
export function panicOnAssertionViolations(
  input:
    | readonly AssertionResult[]
    | { readonly alwaysViolations: readonly string[] } = assertionResults(),
): void {
  const violations = isResultList(input)
    ? validateResults(input).alwaysViolations
    : input.alwaysViolations;
  if (violations.length === 0) return;
  throw new Error(
    `${violations.length} assertion violation(s):\n${violations.map((v) => `  ${v}`).join('\n')}`,
  );
}

function isResultList(
  input: readonly AssertionResult[] | { readonly alwaysViolations: readonly string[] },
): input is readonly AssertionResult[] {
  return Array.isArray(input);
}
