// Errors detached from every awaited chain fail the iteration they happen in, through the API as
// through the command line, and never crash the process after the run.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SimulationBuilder } from '../../src/builder/builder.js';
import type { Workload } from '../../src/engine/context.js';
import { reportSucceeded } from '../../src/report/simulation-report.js';

function run(workload: Workload, iterations = 3): ReturnType<SimulationBuilder['run']> {
  return new SimulationBuilder().workload(workload).setIterations(iterations).run();
}

describe('detached errors', () => {
  it('a rejected promise nobody awaits fails its iteration', async () => {
    const report = await run({
      name: 'leaky',
      async run(ctx) {
        void Promise.reject(new Error('nobody listens'));
        await ctx.time.sleep(5);
      },
    });
    assert.equal(report.failedRuns, 3);
    assert.equal(reportSucceeded(report), false);
    const failure = report.runs[0]?.failure;
    assert.equal(failure?.kind, 'detached-error');
    assert.ok(failure?.kind === 'detached-error' && failure.origin === 'unhandled-rejection');
    assert.match(report.runs[0]?.error ?? '', /a rejected promise nobody handled: Error: nobody listens/);
  });

  it('only the iteration that leaked fails', async () => {
    let iteration = 0;
    const report = await run(
      {
        name: 'once',
        async run(ctx) {
          if (iteration++ === 1) void Promise.reject(new Error('second only'));
          await ctx.time.sleep(1);
        },
      },
      3,
    );
    assert.deepEqual(
      report.runs.map((r) => r.ok),
      [true, false, true],
    );
  });

  it('a handled rejection is no failure', async () => {
    const report = await run({
      name: 'careful',
      async run(ctx) {
        const p = Promise.reject(new Error('handled'));
        await ctx.time.sleep(1);
        await p.catch(() => {});
      },
    });
    assert.equal(report.failedRuns, 0, report.runs[0]?.error);
  });

  it('puts the listeners that were on process back after the run', async () => {
    const before = process.listenerCount('unhandledRejection');
    await run({ name: 'plain', run: (ctx) => ctx.time.sleep(1) }, 1);
    assert.equal(process.listenerCount('unhandledRejection'), before);
  });
});
