// The summary line of each simulation after `moonpool sim run-all`.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SimulationReport } from '@moonpool/sim';
import { formatSummary } from '../../src/cli/output.js';
import { emptyReport, type Outcome } from '../../src/cli/run.js';

function report(over: Partial<SimulationReport>): SimulationReport {
  return { ...emptyReport('x', 1), iterations: 3, successfulRuns: 3, seedsUsed: [1n, 2n, 3n], ...over };
}

function summaryOf(outcome: Outcome): string {
  return formatSummary([outcome, { ...outcome, name: 'other' }], false);
}

describe('run-all summary', () => {
  it('a bug found only in explored timelines counts as the expected bug found', () => {
    const exploration = { bugsFound: 2 } as NonNullable<SimulationReport['exploration']>;
    const text = summaryOf({
      name: 'explore',
      expectFailure: true,
      report: report({ alwaysViolations: ['treasure found'], exploration }),
    });
    assert.match(text, /PASS {2}explore {2}\(3 iterations, demonstrates a bug: found as expected, 2 bug timelines, 1 always-violations\)/);
  });

  it('an expected bug that was not found says so and fails', () => {
    const text = summaryOf({ name: 'explore', expectFailure: true, report: report({}) });
    assert.match(text, /FAIL {2}explore {2}\(3 iterations, expected bug NOT found\)/);
  });
});
