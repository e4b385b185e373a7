import { ASSERTION_KINDS, type AssertionResult } from '@moonpool/explorer';

/**
 * The messages of the violated assertions, by family: the same form as an iteration's own
 * `alwaysViolations`, and the key into the report's `assertions`, where the counts are.
 */
export function violatedMessages(results: readonly AssertionResult[]): {
  alwaysViolations: string[];
  coverageViolations: string[];
} {
  const alwaysViolations: string[] = [];
  const coverageViolations: string[] = [];
  for (const r of results) {
    const spec = ASSERTION_KINDS[r.kind];
    if (r.unreached) {
      if (spec.neverReached === 'always') alwaysViolations.push(r.msg);
      else if (spec.neverReached === 'coverage') coverageViolations.push(r.msg);
      continue;
    }
    if (spec.violation === null || spec.status(r.passCount, r.failCount) === 'pass') continue;
    (spec.family === 'always' ? alwaysViolations : coverageViolations).push(r.msg);
  }
  return { alwaysViolations, coverageViolations };
}

/**
 * Each violated message as a sentence with its kind and counts (`[Always] "x" failed 3 of 9 times`),
 * taken from `results`; a message not found there is shown as it is.
 */
export function describeViolations(messages: readonly string[], results: readonly AssertionResult[]): string[] {
  return messages.map((msg) => {
    const r = results.find((a) => a.msg === msg);
    const violation = r === undefined ? null : ASSERTION_KINDS[r.kind].violation;
    if (r === undefined || (violation === null && !r.unreached)) return msg;
    const label = `[${r.cmp === undefined ? r.kind : `${r.kind} ${r.cmp}`}] "${msg}"`;
    return r.unreached || violation === null ? `${label} was never reached` : violation(r, label);
  });
}
