import { currentInstrumentation } from '@moonpool/core';
import { AssertionStore, type AssertionResult, validateResults } from '@moonpool/explorer';

/** The running simulation's assertion store, or null outside a simulation. */
function runningStore(): AssertionStore | null {
  const recorder = currentInstrumentation()?.assertions;
  return recorder instanceof AssertionStore ? recorder : null;
}

/** The running simulation's assertion results, or `[]` outside a simulation. */
export function assertionResults(): AssertionResult[] {
  return runningStore()?.results() ?? [];
}

/** Forgets the running simulation's assertion statistics. */
export function resetAssertions(): void {
  runningStore()?.reset();
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
