// How the executor ends an iteration that fails (deadlock, limits, thrown tasks), and how it meets
// the outside world: real I/O through external(), one simulation per thread, clock drift of timer().
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SimulationError } from '@moonpool/core';
import { simRandom } from '../../src/providers/sim-random-functions.js';
import { SimulationBuilder } from '../../src/builder/builder.js';
import { expectOk, runOnce, runSeeds, workload } from '../support/builder-helpers.js';

describe('executor: failures', () => {
  it('a workload waiting on nothing scheduled is a deadlock naming the waiting tasks', async () => {
    const run = await runOnce((b) =>
      b.workload(
        workload('stuck', async (ctx) => {
          const waiter = ctx.task.spawn('waiter', () => new Promise<void>(() => {}));
          await ctx.time.sleep(3);
          await waiter.join();
        }),
      ),
    );
    assert.equal(run.ok, false);
    const error = run.error ?? '';
    assert.match(error, /^deadlock/);
    assert.ok(error.includes('10.0.0.1 stuck/waiter'), error);
    assert.ok(error.includes('10.0.0.1 stuck/run'), error);
    assert.ok(run.simTimeMs >= 3, `${run.simTimeMs}`);
  });

  it('setLimits({maxEvents}) fails a runaway iteration', async () => {
    const run = await runOnce((b) =>
      b.setLimits({ maxEvents: 1000 }).workload(
        workload('spinner', async (ctx) => {
          for (;;) await ctx.time.sleep(1);
        }),
      ),
    );
    assert.equal(run.ok, false);
    assert.match(run.error ?? '', /^runaway: more than 1000 events/);
    assert.equal(run.events, 1000);
  });

  it('setLimits({maxSimTimeMs}) fails a runaway iteration', async () => {
    const run = await runOnce((b) =>
      b.setLimits({ maxSimTimeMs: 5000 }).workload(
        workload('sleeper', async (ctx) => {
          for (;;) await ctx.time.sleep(700);
        }),
      ),
    );
    assert.equal(run.ok, false);
    assert.match(run.error ?? '', /^runaway: simulated time passed the limit of 5000 ms/);
    assert.ok(run.simTimeMs <= 5000 && run.simTimeMs >= 4200, `${run.simTimeMs}`);
    assert.throws(() => new SimulationBuilder().setLimits({ maxEvents: 0 }), RangeError);
  });

  it('a spawned task that throws fails its iteration only; later seeds still run', async () => {
    let iteration = 0;
    const report = await runSeeds(
      new SimulationBuilder().workload(
        workload('w', async (ctx) => {
          const mine = iteration++;
          ctx.task.spawn('exploder', async () => {
            await ctx.time.sleep(2);
            if (mine === 1) throw new Error(`kaboom in iteration ${mine}`);
          });
          await ctx.time.sleep(500);
        }),
      ),
      [11n, 22n, 33n],
    );
    assert.equal(iteration, 3);
    assert.deepEqual(
      report.runs.map((r) => r.ok),
      [true, false, true],
    );
    const failed = report.runs[1];
    assert.ok(failed);
    assert.match(
      failed.error ?? '',
      /task "exploder" on 10\.0\.0\.1 \(w\) failed: .*kaboom in iteration 1/s,
    );
    assert.ok(failed.simTimeMs < 500, 'the iteration stopped at the failure');
    assert.deepEqual(report.seedsFailing, [22n]);
    assert.equal(report.failedRuns, 1);
    assert.equal(report.successfulRuns, 2);
  });

  it("a joined task's failure goes to the joiner only", async () => {
    let caught = '';
    let status = '';
    const handled = await runOnce((b) =>
      b.workload(
        workload('joiner', async (ctx) => {
          const bad = ctx.task.spawn('bad', async () => {
            await ctx.time.sleep(1);
            throw new Error('boom');
          });
          try {
            await bad.join();
          } catch (err) {
            caught = (err as Error).message;
          }
          status = bad.status();
          await ctx.time.sleep(1);
        }),
      ),
    );
    expectOk(handled);
    assert.equal(caught, 'boom');
    assert.equal(status, 'failed');

    const unhandled = await runOnce((b) =>
      b.workload(
        workload('joiner', async (ctx) => {
          const bad = ctx.task.spawn('bad', async () => {
            await ctx.time.sleep(1);
            throw new Error('boom');
          });
          await bad.join();
        }),
      ),
    );
    assert.equal(unhandled.ok, false);
    const error = unhandled.error ?? '';
    assert.match(error, /workload "joiner" run failed: .*boom/s);
    assert.ok(!error.includes('task "bad"'), error);
  });
});

describe('executor: outside world', () => {
  it('external() waits on real I/O while simulated time stands still', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'moonpool-kernel-'));
    const file = join(dir, 'data.txt');
    await writeFile(file, 'hello from the real disk');
    const seen: Record<string, unknown> = {};
    try {
      // Hermetic mode off: the real timer below is the outside work being waited for.
      const run = await runOnce((b) =>
        b.hermetic(false).workload(
          workload('reader', async (ctx) => {
            let tickerWoke = false;
            const ticker = ctx.task.spawn('ticker', async () => {
              await ctx.time.sleep(0.001);
              tickerWoke = true;
            });
            const t0 = ctx.time.now();
            seen.text = await ctx.task.external(readFile(file, 'utf8'));
            seen.afterRead = ctx.time.now() - t0;
            // A slow real wait: far longer than any number of simulated events would take.
            await ctx.task.external(new Promise((r) => setTimeout(r, 30)));
            seen.afterTimer = ctx.time.now() - t0;
            seen.tickerWokeDuringIo = tickerWoke;
            await ticker.join();
            seen.tickerWokeAfter = tickerWoke;
          }),
        ),
      );
      expectOk(run);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    assert.deepEqual(seen, {
      text: 'hello from the real disk',
      afterRead: 0,
      afterTimer: 0,
      tickerWokeDuringIo: false,
      tickerWokeAfter: true,
    });
  });

  it('code of a killed machine never resumes after external(), so it cannot disturb the next seed', async () => {
    const quietWorkload = (fail: () => boolean) =>
      workload('w', async (ctx) => {
        if (fail()) throw new Error('the first iteration fails at once');
        await ctx.task.external(new Promise((r) => setTimeout(r, 150)));
        for (let i = 0; i < 5; i++) await ctx.time.sleep(ctx.random.randomRange(1, 10));
      });
    const resumed: string[] = [];
    let iteration = 0;
    // Hermetic mode off: the real timers are the outside work being waited for.
    const sequence = await runSeeds(
      new SimulationBuilder()
        .hermetic(false)
        .processes(1, () => {
          const mine = iteration;
          return {
            name: 'p',
            async run(ctx) {
              if (mine !== 0) return;
              await ctx.task.external(new Promise((r) => setTimeout(r, 20)));
              resumed.push(`process of iteration ${mine} resumed`);
              simRandom();
            },
          };
        })
        .workload(quietWorkload(() => iteration++ === 0)),
      [1n, 2n],
    );
    await new Promise((r) => setTimeout(r, 30));
    const alone = await runSeeds(
      new SimulationBuilder()
        .hermetic(false)
        .processes(1, () => ({ name: 'p', run: async () => {} }))
        .workload(quietWorkload(() => false)),
      [2n],
    );
    assert.deepEqual(
      sequence.runs.map((r) => r.ok),
      [false, true],
    );
    assert.deepEqual(resumed, [], 'a process killed at the end of its iteration resumed');
    assert.equal(
      sequence.runs[1]?.traceHash,
      alone.runs[0]?.traceHash,
      'seed 2 ran differently after seed 1',
    );
  });

  it('two simulations cannot run at once in one thread', async () => {
    const slow = new SimulationBuilder().workload(
      workload('slow', async (ctx) => {
        await ctx.time.sleep(10);
      }),
    );
    const other = new SimulationBuilder().workload(workload('other', async () => {}));
    const first = slow.run();
    await assert.rejects(other.run(), (err: unknown) => {
      return err instanceof SimulationError && /already running/.test(err.message);
    });
    const report = await first;
    assert.equal(report.successfulRuns, 1);
    // One after the other is fine.
    const again = await other.run();
    assert.equal(again.successfulRuns, 1);
  });

  it('timer() runs ahead of now() by [0, 100) ms on every machine (default clock drift)', async () => {
    const drifts: number[] = [];
    const report = await runSeeds(
      new SimulationBuilder()
        .processes(4, () => ({
          name: 'srv',
          async run(ctx) {
            drifts.push(ctx.time.timer() - ctx.time.now());
            await ctx.time.sleep(1e9);
          },
        }))
        .workloads(3, () =>
          workload('client', async (ctx) => {
            const before = ctx.time.timer() - ctx.time.now();
            await ctx.time.sleep(123);
            const after = ctx.time.timer() - ctx.time.now();
            if (Math.abs(before - after) > 1e-9)
              throw new Error(`drift changed ${before} ${after}`);
            drifts.push(after);
          }),
        ),
      [1, 2, 3, 4, 5, 6, 7, 8],
    );
    assert.equal(report.failedRuns, 0, report.runs.map((r) => r.error).join('\n'));
    assert.equal(drifts.length, 8 * 7);
    for (const d of drifts) assert.ok(d >= 0 && d < 100, `drift ${d}`);
    assert.ok(new Set(drifts).size > 40, 'drifts are drawn per machine');
    assert.ok(Math.max(...drifts) > 50, 'drift covers the range');
  });
});
