// Hermetic mode: Node's timers (global, `node:timers`, `node:timers/promises`) are simulated events
// owned by the machine that created them.
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { setTimeout as timersSetTimeout, clearTimeout as timersClearTimeout } from 'node:timers';
import { setImmediate as promiseImmediate, setInterval as promiseInterval, setTimeout as sleep } from 'node:timers/promises';
import { scheduler } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { SimulationBuilder } from '../../src/builder/builder.js';
import type { SimContext } from '../../src/engine/context.js';
import type { IterationRun } from '../../src/report/simulation-report.js';
import { expectOk, runOnce, workload } from '../support/builder-helpers.js';

const quietRun = (name: string, run: (ctx: SimContext) => Promise<void>): Promise<IterationRun> =>
  runOnce((b) => b.workload(workload(name, run)));

describe('hermetic mode: timers', () => {
  it('a setTimeout in a workload waits simulated time, with the same verdict every time', async () => {
    const elapsed: number[] = [];
    const report = await new SimulationBuilder()
      .workload(
        workload('sleeper', async (ctx) => {
          const t0 = ctx.time.now();
          await new Promise((resolve) => setTimeout(resolve, 250));
          elapsed.push(ctx.time.now() - t0);
        }),
      )
      .setIterations(20)
      .run();
    assert.equal(report.failedRuns, 0, report.runs.find((r) => !r.ok)?.error);
    assert.deepEqual(elapsed, Array(20).fill(250));
  });

  it('setInterval, setImmediate, node:timers and node:timers/promises run on simulated time in order', async () => {
    const log: string[] = [];
    const run = await quietRun('all forms', async (ctx) => {
      const at = (what: string): void => {
        log.push(`${what}@${ctx.time.now()}`);
      };
      let ticks = 0;
      const interval = setInterval(() => {
        at('interval');
        if (++ticks === 3) clearInterval(interval);
      }, 100);
      setImmediate(() => at('immediate'));
      timersSetTimeout(() => at('timers.setTimeout'), 150);
      const cancelled = timersSetTimeout(() => at('never'), 120);
      timersClearTimeout(cancelled);
      const byId = setTimeout(() => at('never by id'), 130);
      clearTimeout(+byId);
      await sleep(50);
      at('promises.setTimeout');
      await promiseImmediate();
      at('promises.setImmediate');
      await promisify(setTimeout)(50);
      at('promisify(setTimeout)');
      await scheduler.wait(10);
      at('scheduler.wait');
      let n = 0;
      for await (const _ of promiseInterval(200)) {
        at('promises.setInterval');
        if (++n === 2) break;
      }
    });
    expectOk(run);
    assert.deepEqual(log, [
      'immediate@0',
      'promises.setTimeout@50',
      'promises.setImmediate@50',
      'interval@100',
      'promisify(setTimeout)@100',
      'scheduler.wait@110',
      'timers.setTimeout@150',
      'interval@200',
      'interval@300',
      'promises.setInterval@310',
      'promises.setInterval@510',
    ]);
  });

  it('refresh() restarts the delay; an aborted promise timer rejects with AbortError', async () => {
    const log: string[] = [];
    const run = await quietRun('refresh', async (ctx) => {
      const t = setTimeout(() => log.push(`fired@${ctx.time.now()}`), 100);
      await sleep(60);
      t.refresh();
      assert.equal(t.hasRef(), true);
      await sleep(200);
      const controller = new AbortController();
      const pending = sleep(1000, 'value', { signal: controller.signal });
      await sleep(10);
      controller.abort();
      await pending.catch((err: Error) => log.push(`${err.name}@${ctx.time.now()}`));
    });
    expectOk(run);
    assert.deepEqual(log, ['fired@160', 'AbortError@270']);
  });

  it('promise timers on one signal share a listener: fired ones let go of it, the rest reject in the order they waited', async () => {
    const log: string[] = [];
    let sharedListeners = -1;
    let listenersAfterFire = -1;
    const run = await quietRun('shared-signal', async (ctx) => {
      const controller = new AbortController();
      const { signal } = controller;
      const waits = [
        sleep(5, 'short', { signal }).then((v) => log.push(`${v}@${ctx.time.now()}`)),
        sleep(1000, 'a', { signal }).catch((err: Error) => log.push(`${err.name} a`)),
      ];
      sharedListeners = getEventListeners(signal, 'abort').length;
      signal.addEventListener('abort', () => log.push('listener'));
      waits.push(sleep(1000, 'b', { signal }).catch((err: Error) => log.push(`${err.name} b`)));
      await sleep(10);
      controller.abort();
      await Promise.all(waits);
      const fresh = new AbortController();
      await sleep(5, undefined, { signal: fresh.signal });
      listenersAfterFire = getEventListeners(fresh.signal, 'abort').length;
    });
    expectOk(run);
    assert.deepEqual(log, ['short@5', 'listener', 'AbortError a', 'AbortError b']);
    assert.equal(sharedListeners, 1, 'two waits on one signal share one listener');
    assert.equal(listenersAfterFire, 0);
  });

  it('a throw inside a timer callback fails the iteration as an uncaught exception', async () => {
    const run = await quietRun('thrower', async (ctx) => {
      setTimeout(() => {
        throw new Error('thrown in a timer');
      }, 10);
      await ctx.time.sleep(100);
    });
    assert.equal(run.ok, false);
    assert.deepEqual(run.failure, {
      kind: 'detached-error',
      origin: 'uncaught-exception',
      error: run.failure?.kind === 'detached-error' ? run.failure.error : '',
    });
    assert.match(run.error ?? '', /an exception nobody caught: Error: thrown in a timer/);
    assert.ok(run.simTimeMs < 100, `the iteration stopped at the throw, not at ${run.simTimeMs} ms`);
  });

  it("a crash cancels the crashed machine's timers, not the others'", async () => {
    const fired: string[] = [];
    const timed = (name: string) => ({
      name,
      async run(ctx: SimContext) {
        setTimeout(() => fired.push(`${name}@${ctx.time.now()}`), 5000);
        await ctx.time.sleep(1e9);
      },
    });
    let first = true;
    const report = await new SimulationBuilder()
      .processes(1, () => timed(first ? ((first = false), 'crashed') : 'rebooted'))
      .processes(1, () => timed('bystander'))
      .workload(
        workload('crasher', async (ctx) => {
          await ctx.time.sleep(1000);
          ctx.cluster.reboot(ctx.cluster.processIps[0] as string, 'Crash', { recoveryDelayMs: 10_000 });
          await ctx.time.sleep(20_000);
        }),
      )
      .run();
    assert.equal(report.failedRuns, 0, report.runs[0]?.error);
    assert.deepEqual(fired, ['bystander@5000', 'rebooted@16000']);
  });

  it("an unref'd timer keeps no iteration from settling and hides no deadlock; a ref'd one is abandoned with its workload", async () => {
    const unrefd = await quietRun('unref', async () => {
      setInterval(() => {}, 1000).unref();
    });
    expectOk(unrefd);
    const refd = await quietRun('ref', async () => {
      setInterval(() => {}, 1000);
    });
    // The workload has no task left: its timers no longer hold the settle phase, ref'd or not.
    expectOk(refd);
    const stuck = await quietRun('stuck', async () => {
      setInterval(() => {}, 1000).unref();
      await new Promise(() => {});
    });
    assert.equal(stuck.failure?.kind, 'deadlock', stuck.error);
    // Unref'd timers still fire meanwhile (a client's request timeout may be what ends a wait).
    const ended = await quietRun('timeout ends the wait', async (ctx) => {
      await new Promise<void>((resolve) => setTimeout(resolve, 120_000).unref());
      assert.equal(ctx.time.now(), 120_000);
    });
    expectOk(ended);
  });

  it('a real timer made before the run and refreshed by simulated code runs on simulated time, then real again', async () => {
    const fired: string[] = [];
    let inSimulation = false;
    let simTime = () => -1;
    const real = setTimeout(() => fired.push(inSimulation ? `simulated@${simTime()}` : 'real'), 40);
    const run = await quietRun('refresher', async (ctx) => {
      inSimulation = true;
      simTime = () => ctx.time.now();
      await ctx.time.sleep(10);
      real.refresh();
      await ctx.time.sleep(100);
      inSimulation = false;
    });
    expectOk(run);
    assert.deepEqual(fired, ['simulated@50']);
    real.refresh(); // back on real time after the run
    await new Promise((resolve) => setTimeout(resolve, 80));
    assert.deepEqual(fired, ['simulated@50', 'real']);
  });

  it('a simulated timer refreshed after its simulation is a clear error', async () => {
    let leaked: NodeJS.Timeout | null = null;
    expectOk(
      await quietRun('leaker', async () => {
        leaked = setTimeout(() => {}, 10);
      }),
    );
    assert.throws(() => (leaked as unknown as NodeJS.Timeout).refresh(), /refreshed outside a simulation/);
    clearTimeout(leaked as unknown as NodeJS.Timeout); // harmless
  });
});
