// Every way an iteration fails arrives as a typed failure with its `kind`, in the run and in the
// JSON report, and its message is derived from it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertAlways } from '@moonpool/core';
import { describeFailure, type IterationFailure } from '../../src/kernel/failure.js';
import { reportToJson } from '../../src/report/report-json.js';
import { SimulationBuilder } from '../../src/builder/builder.js';
import type { IterationRun } from '../../src/report/simulation-report.js';
import { runOnce, workload } from '../support/builder-helpers.js';

function failureOf(run: IterationRun): IterationFailure {
  assert.equal(run.ok, false, 'the iteration should fail');
  assert.ok(run.failure, 'a failed run carries its failure');
  assert.equal(run.error, describeFailure(run.failure));
  return run.failure;
}

describe('iteration failures', () => {
  it('a workload that throws: workload-threw, with the phase and the error', async () => {
    const run = await runOnce((b) =>
      b.workload(workload('thrower', async () => {
        throw new Error('boom');
      })),
    );
    const failure = failureOf(run);
    assert.equal(failure.kind, 'workload-threw');
    assert.ok(failure.kind === 'workload-threw' && failure.phase === 'run' && failure.workload === 'thrower');
    assert.match(run.error ?? '', /^workload "thrower" run failed: Error: boom/);
  });

  it('a spawned task that throws: task-threw, naming the task and machine', async () => {
    const run = await runOnce((b) =>
      b.workload(
        workload('spawner', async (ctx) => {
          ctx.task.spawn('doomed', async () => {
            throw new Error('task boom');
          });
          await ctx.time.sleep(10);
        }),
      ),
    );
    const failure = failureOf(run);
    assert.equal(failure.kind, 'task-threw');
    assert.ok(failure.kind === 'task-threw' && failure.task === 'doomed' && failure.ip === '10.0.0.1');
  });

  it('a task waiting on nothing: deadlock, listing the waiting task', async () => {
    const run = await runOnce((b) =>
      b.workload(workload('stuck', () => new Promise<void>(() => {}))),
    );
    const failure = failureOf(run);
    assert.equal(failure.kind, 'deadlock');
    assert.ok(failure.kind === 'deadlock' && failure.waitingTasks.some((t) => t.includes('stuck')));
  });

  it('too many events: runaway', async () => {
    const run = await runOnce((b) =>
      b
        .setLimits({ maxEvents: 50 })
        .workload(
          workload('busy', async (ctx) => {
            for (;;) await ctx.time.sleep(1);
          }),
        ),
    );
    const failure = failureOf(run);
    assert.deepEqual(failure, { kind: 'runaway', limit: 'events', maxEvents: 50 });
  });

  it('an invariant that throws: invariant, with its name and time', async () => {
    const run = await runOnce((b) =>
      b
        .invariantFn('never', () => {
          throw new Error('broken');
        })
        .workload(workload('sleeper', (ctx) => ctx.time.sleep(5))),
    );
    const failure = failureOf(run);
    assert.equal(failure.kind, 'invariant');
    assert.ok(failure.kind === 'invariant' && failure.invariant === 'never' && failure.error === 'broken');
  });

  it('an always-assertion violated: always-violation, and the JSON report carries failure.kind', async () => {
    const report = await new SimulationBuilder()
      .workload(workload('asserter', async () => assertAlways(false, 'must hold')))
      .setDebugSeeds([3])
      .run();
    const failure = failureOf(report.runs[0] as IterationRun);
    assert.equal(failure.kind, 'always-violation');
    const json = reportToJson(report);
    assert.equal(json.runs[0]?.failure?.kind, 'always-violation');
    assert.equal(JSON.parse(JSON.stringify(json)).runs[0].failure.kind, 'always-violation');
  });
});
