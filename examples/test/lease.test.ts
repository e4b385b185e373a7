import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { reportSucceeded } from 'moonpool';
import { lease, leaseBuggy } from '../src/lease/lease.sim.js';

describe('lease', () => {
  it('never has two leaders at once when the safety margin covers clock drift', async () => {
    const report = await lease.build().run();
    assert.equal(report.iterations, 100);
    assert.ok(reportSucceeded(report), `failing seeds: ${report.seedsFailing.join(', ')}`);
    const byMsg = new Map(report.assertions.map((a) => [a.msg, a]));
    assert.ok((byMsg.get('one leader at a time')?.passCount ?? 0) > 0);
    for (const msg of ['leader elected', 'lease expired and taken over', 'leader rebooted']) {
      assert.equal(byMsg.get(msg)?.status, 'pass', `${msg} never happened`);
    }
  });

  it('catches the drift-ignoring lease check, reproducibly', async () => {
    const report = await leaseBuggy.build().run();
    assert.ok(report.failedRuns > 0, 'the seeded bug was not found in 100 iterations');
    const failing = report.runs.find((r) => !r.ok);
    assert.ok(failing !== undefined);
    assert.match(failing.error ?? '', /one leader at a time/);

    const again = await leaseBuggy.build().setDebugSeeds([failing.seed]).run();
    assert.equal(again.failedRuns, 1);
    const rerun = again.runs[0];
    assert.equal(rerun?.traceHash, failing.traceHash);
    assert.equal(rerun?.error, failing.error);
    assert.ok(again.alwaysViolations.some((v) => v.includes('one leader at a time')));
  });
});
