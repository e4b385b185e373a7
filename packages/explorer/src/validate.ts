import { ASSERTION_KINDS } from './assertion-kinds.js';
import type { AssertionKind, AssertionResult, AssertionViolations, NumericCmp } from './types.js';

export function describeKind(kind: AssertionKind, cmp: NumericCmp | undefined): string {
  return cmp === undefined ? kind : `${kind} ${cmp}`;
}

/** Splits results into always violations (definite bugs) and coverage violations (statistical). */
export function validateResults(results: readonly AssertionResult[]): AssertionViolations {
  const alwaysViolations: string[] = [];
  const coverageViolations: string[] = [];
  for (const r of results) {
    const spec = ASSERTION_KINDS[r.kind];
    if (spec.violation === null || spec.status(r.passCount, r.failCount) === 'pass') continue;
    const text = spec.violation(r, `[${describeKind(r.kind, r.cmp)}] "${r.msg}"`);
    (spec.family === 'always' ? alwaysViolations : coverageViolations).push(text);
  }
  return { alwaysViolations, coverageViolations };
}
