// The report a run returns: JSON.stringify works on it, its names match the JSON form's, and its
// always-violations have the form of an iteration's.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertAlways, assertSometimes } from '@moonpool/core';
import { formatReport, reportToJson, SimulationBuilder } from '../../src/index.js';

/** Fails the always-assertion on some seeds, and never satisfies the sometimes-assertion. */
function builder(): SimulationBuilder {
  return new SimulationBuilder().setName('shape').workload({
    name: 'w',
    async run(ctx) {
      await ctx.time.sleep(1);
      assertAlways(ctx.random.random() < 0.5, 'coin lands heads');
      assertSometimes(false, 'never true');
    },
  });
}

describe('the report of a run', () => {
  it('JSON.stringify(report) works with seeds above 2^53 and gives reportToJson', async () => {
    const big = 18446744073709551615n;
    const report = await builder().setDebugSeeds([big, 1n]).run();
    const text = JSON.stringify(report);
    assert.equal(text, JSON.stringify(reportToJson(report)));
    assert.deepEqual(JSON.parse(text).seedsUsed, [String(big), '1']);
    // toJSON is not enumerable: spreads and comparisons see only the report's fields.
    assert.equal(Object.keys(report).includes('toJSON'), false);
  });

  it('uses the same names for the counts as its JSON form', async () => {
    const report = await builder().setIterations(20).run();
    const json = reportToJson(report);
    assert.ok(report.failedRuns > 0 && report.successfulRuns > 0);
    assert.equal(json.successfulRuns, report.successfulRuns);
    assert.equal(json.failedRuns, report.failedRuns);
    assert.equal('passed' in json || 'failed' in json, false);
  });

  it('holds assertion messages in alwaysViolations, as each failing iteration does', async () => {
    const report = await builder().setIterations(20).run();
    assert.deepEqual(report.alwaysViolations, ['coin lands heads']);
    assert.deepEqual(report.coverageViolations, ['never true']);
    for (const run of report.runs.filter((r) => !r.ok)) assert.deepEqual(run.alwaysViolations, ['coin lands heads']);
    // The counts are in the text report.
    assert.match(formatReport(report), /\[Always\] "coin lands heads" failed \d+ of 20 times/);
    assert.match(formatReport(report), /\[Sometimes\] "never true" was never true/);
  });
});
