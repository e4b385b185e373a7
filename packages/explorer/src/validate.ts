import type { AssertionKind, AssertionResult, AssertionViolations, NumericCmp } from './types.js';

export function describeKind(kind: AssertionKind, cmp: NumericCmp | undefined): string {
  return cmp === undefined ? kind : `${kind} ${cmp}`;
}

/** Splits results into always violations (definite bugs) and coverage violations (statistical). */
export function validateResults(results: readonly AssertionResult[]): AssertionViolations {
  const alwaysViolations: string[] = [];
  const coverageViolations: string[] = [];
  for (const r of results) {
    const label = `[${describeKind(r.kind, r.cmp)}] "${r.msg}"`;
    const total = r.passCount + r.failCount;
    const best = r.watermark === undefined ? '' : `, watermark ${r.watermark}`;
    switch (r.kind) {
      case 'Always':
      case 'AlwaysOrUnreachable':
      case 'NumericAlways':
        if (r.failCount > 0)
          alwaysViolations.push(`${label} failed ${r.failCount} of ${total} times${best}`);
        break;
      case 'Unreachable':
        if (r.failCount > 0) alwaysViolations.push(`${label} was reached ${r.failCount} times`);
        break;
      case 'Sometimes':
        if (r.passCount === 0)
          coverageViolations.push(`${label} was never true (${total} evaluations)`);
        break;
      case 'Reachable':
        if (r.passCount === 0) coverageViolations.push(`${label} was never reached`);
        break;
      case 'NumericSometimes':
        if (r.passCount === 0)
          coverageViolations.push(`${label} never succeeded (${total} evaluations${best})`);
        break;
      default:
        break;
    }
  }
  return { alwaysViolations, coverageViolations };
}
