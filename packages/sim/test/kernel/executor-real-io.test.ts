// Real work started by simulated code (a real file read, a real timer) is named as such when the
// simulation stalls, instead of being called a deadlock, and the verdict no longer depends on timing.
import assert from 'node:assert/strict';
import { readFile as readFileCallback } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SimulationBuilder } from '../../src/builder/builder.js';
import { describeFailure } from '../../src/kernel/failure.js';
import { workload } from '../support/builder-helpers.js';

const thisFile = fileURLToPath(import.meta.url);

describe('executor: real I/O', () => {
  it('a real fs read in a workload fails as real-io, naming the request and pointing to ctx.storage', async () => {
    const report = await new SimulationBuilder()
      .workload(
        workload('reader', async () => {
          await new Promise((resolve, reject) => {
            readFileCallback(thisFile, (err, data) => (err ? reject(err) : resolve(data)));
          });
        }),
      )
      .setIterations(5)
      .run();
    assert.equal(report.failedRuns, 5);
    for (const run of report.runs) {
      assert.equal(run.failure?.kind, 'real-io', run.error);
      assert.ok(run.failure?.kind === 'real-io' && run.failure.resources.includes('FSReqCallback'));
      assert.match(run.error ?? '', /^real I\/O: .*FSReqCallback.*ctx\.storage and ctx\.network/);
      assert.match(run.error ?? '', /10\.0\.0\.1 reader\/run/);
    }
  });

  it('so does fs/promises', async () => {
    const report = await new SimulationBuilder()
      .workload(workload('reader', async () => void (await readFile(thisFile))))
      .run();
    assert.equal(report.runs[0]?.failure?.kind, 'real-io', report.runs[0]?.error);
  });

  it('a real timer (hermetic mode off) gets the same verdict every time, naming the Timeout', async () => {
    const report = await new SimulationBuilder()
      .hermetic(false)
      .workload(workload('sleeper', () => new Promise((resolve) => setTimeout(resolve, 5))))
      .setIterations(20)
      .run();
    assert.equal(report.failedRuns, 20);
    for (const run of report.runs) {
      assert.ok(run.failure?.kind === 'real-io' && run.failure.resources.includes('Timeout'), run.error);
    }
  });

  it('a stall with no real work pending is still a deadlock', async () => {
    const report = await new SimulationBuilder()
      .workload(workload('waiter', () => new Promise(() => {})))
      .run();
    assert.equal(report.runs[0]?.failure?.kind, 'deadlock');
  });

  it('describes the failure with the resources counted', () => {
    const text = describeFailure({
      kind: 'real-io',
      atMs: 5,
      resources: ['FSReqCallback ×2', 'TCPWRAP'],
      waitingTasks: ['10.0.0.1 w/run'],
    });
    assert.match(text, /^real I\/O: at 5 ms nothing simulated is scheduled but real work is pending \(FSReqCallback ×2, TCPWRAP\)/);
  });
});
