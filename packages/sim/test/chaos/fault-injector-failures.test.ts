// A failing fault injector fails its iteration, fault() requires chaosDuration, and several injectors
// run concurrently.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SimulationError } from '@moonpool/core';
import type { IterationRun } from '../../src/report/simulation-report.js';
import type { FaultContext } from '../../src/chaos/fault-injector.js';
import { injector, quiet, sleeper } from '../support/fault-injector-helpers.js';

describe('fault injectors: failures and configuration', () => {
  for (const [how, inject] of [
    [
      'rejects',
      async (f: FaultContext): Promise<void> => {
        await f.time.sleep(100);
        throw new Error('boom at 100');
      },
    ],
    [
      'throws synchronously',
      (): Promise<void> => {
        throw new Error('boom at once');
      },
    ],
  ] as const) {
    it(`an injector that ${how} fails the iteration; the error names the injector`, async () => {
      let finished = false;
      const report = await quiet()
        .processes(1, sleeper)
        .fault(injector('exploder', inject))
        .chaosDuration(10_000)
        .workload({
          name: 'w',
          async run(ctx) {
            await ctx.time.sleep(5000);
            finished = true;
          },
        })
        .setDebugSeeds([8])
        .run();
      const run = report.runs[0] as IterationRun;
      assert.equal(run.ok, false);
      assert.equal(report.failedRuns, 1);
      assert.match(run.error ?? '', /fault:exploder/);
      assert.match(run.error ?? '', /boom at/);
      assert.equal(finished, false, 'the iteration stopped at the failure');
      assert.ok(run.simTimeMs <= 100, `${run.simTimeMs} ms`);
    });
  }

  it('fault() without chaosDuration: run() rejects with a SimulationError naming chaosDuration', async () => {
    let injected = false;
    const b = quiet()
      .processes(1, sleeper)
      .fault(
        injector('never', async () => {
          injected = true;
        }),
      )
      .workload({ name: 'w', run: async () => {} });
    await assert.rejects(b.run(), (err: unknown) => {
      assert.ok(err instanceof SimulationError, String(err));
      assert.match(err.message, /chaosDuration/);
      return true;
    });
    assert.equal(injected, false);
    const report = await b.chaosDuration(50).setDebugSeeds([1]).run();
    assert.equal(report.failedRuns, 0);
    assert.equal(injected, true);
  });

  it('several injectors run concurrently, each as its own task', async () => {
    const log: string[] = [];
    const report = await quiet()
      .processes(1, sleeper)
      .fault(
        injector('a', async (f) => {
          for (let i = 0; i < 3; i++) {
            await f.time.sleep(100);
            log.push(`a@${f.time.now()}`);
          }
        }),
      )
      .fault(
        injector('b', async (f) => {
          for (let i = 0; i < 2; i++) {
            await f.time.sleep(150);
            log.push(`b@${f.time.now()}`);
          }
        }),
      )
      .chaosDuration(1000)
      .workload({
        name: 'w',
        async run(ctx) {
          await ctx.time.sleep(500);
        },
      })
      .setDebugSeeds([9])
      .run();
    assert.equal(report.failedRuns, 0);
    // Equal times run in the order the sleeps were scheduled (b's at 150, a's at 200).
    assert.deepEqual(log, ['a@100', 'b@150', 'a@200', 'b@300', 'a@300']);
  });
});
