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
    if (r.unreached) {
      const text = `[${describeKind(r.kind, r.cmp)}] "${r.msg}" was never reached`;
      if (spec.neverReached === 'always') alwaysViolations.push(text);
      else if (spec.neverReached === 'coverage') coverageViolations.push(text);
      continue;
    }
    if (spec.violation === null || spec.status(r.passCount, r.failCount) === 'pass') continue;
    const text = spec.violation(r, `[${describeKind(r.kind, r.cmp)}] "${r.msg}"`);
    (spec.family === 'always' ? alwaysViolations : coverageViolations).push(text);
  }
  return { alwaysViolations, coverageViolations };
}

/** An assertion site found in the simulation's source before it ran. */
export interface CatalogueEntry {
  readonly kind: AssertionKind;
  readonly msg: string;
}

/**
 * `results` plus a result for every catalogued site that no iteration reached (a message already
 * recorded counts as reached, whatever its kind), in catalogue order after the recorded ones.
 */
export function withUnreached(
  results: readonly AssertionResult[],
  catalogue: readonly CatalogueEntry[],
): AssertionResult[] {
  const seen = new Set(results.map((r) => r.msg));
  const out = [...results];
  for (const { kind, msg } of catalogue) {
    if (seen.has(msg)) continue;
    seen.add(msg);
    const status = ASSERTION_KINDS[kind].neverReached === 'always' ? 'fail' : 'uncovered';
    out.push({ msg, kind, passCount: 0, failCount: 0, status, unreached: true });
  }
  return out;
}
