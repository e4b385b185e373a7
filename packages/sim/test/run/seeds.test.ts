import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SimulationError } from '@moonpool/core';
import { SimulationBuilder } from '../../src/builder/builder.js';
import { IterationControl } from '../../src/run/iteration-control.js';
import { DEFAULT_BASE_SEED, nthSeed } from '../../src/run/seeds.js';
import { workload } from '../support/builder-helpers.js';

/** A small simulation whose trace depends on the seed (random sleeps and a random number of them). */
function randomSleeper(): SimulationBuilder {
  return new SimulationBuilder().workloads(2, (i) =>
    workload(`sleeper${i}`, async (ctx) => {
      const n = ctx.random.randomRange(1, 6);
      for (let k = 0; k < n; k++) await ctx.time.sleep(ctx.random.randomRange(1, 100));
    }),
  );
}

describe('builder: seeds and iteration control', () => {
  it('setDebugSeeds runs exactly those seeds, in order', async () => {
    const seen: bigint[] = [];
    const seeds = [5n, 3, (1n << 64n) - 1n, 5n, 0];
    const report = await randomSleeper()
      .setIterations(50)
      .setDebugSeeds(seeds)
      .onIterationDone((run) => seen.push(run.seed))
      .run();
    const expected = [5n, 3n, (1n << 64n) - 1n, 5n, 0n];
    assert.deepEqual(report.seedsUsed, expected);
    assert.deepEqual(
      report.runs.map((r) => r.seed),
      expected,
    );
    assert.deepEqual(seen, expected);
    assert.equal(report.iterations, 5);
    // The same seed twice gives the same trace.
    assert.equal(report.runs[0]?.traceHash, report.runs[3]?.traceHash);
    assert.throws(() => new SimulationBuilder().setDebugSeeds([-1]), RangeError);
  });

  it('the same builder run twice gives the same seeds and trace hashes', async () => {
    const builder = randomSleeper().setIterations(20);
    const first = await builder.run();
    const second = await builder.run();
    assert.equal(first.iterations, 20);
    assert.deepEqual(second.seedsUsed, first.seedsUsed);
    assert.deepEqual(
      second.runs.map((r) => [r.traceHash, r.events, r.simTimeMs]),
      first.runs.map((r) => [r.traceHash, r.events, r.simTimeMs]),
    );
    // A fresh, identically configured builder agrees too, and the seeds are the documented sequence.
    const third = await randomSleeper().setIterations(20).run();
    assert.deepEqual(
      third.runs.map((r) => r.traceHash),
      first.runs.map((r) => r.traceHash),
    );
    assert.deepEqual(
      first.seedsUsed,
      Array.from({ length: 20 }, (_, i) => nthSeed(DEFAULT_BASE_SEED, i)),
    );
    assert.equal(new Set(first.seedsUsed).size, 20);
    assert.ok(new Set(first.runs.map((r) => r.traceHash)).size > 15, 'traces depend on the seed');
  });

  it('setBaseSeed changes the generated seeds (and thus the traces)', async () => {
    const base = await randomSleeper().setIterations(5).run();
    const other = await randomSleeper().setIterations(5).setBaseSeed(12345n).run();
    const otherAgain = await randomSleeper().setIterations(5).setBaseSeed(12345).run();
    assert.deepEqual(otherAgain.seedsUsed, other.seedsUsed);
    for (const s of other.seedsUsed) assert.ok(!base.seedsUsed.includes(s));
    assert.notDeepEqual(
      other.runs.map((r) => r.traceHash),
      base.runs.map((r) => r.traceHash),
    );
    assert.throws(() => new SimulationBuilder().setBaseSeed(1n << 64n), RangeError);
  });

  it('setWallClockBudget runs at least one iteration, then stops', async () => {
    // Hermetic mode off: the real timers below are the outside work that takes real time.
    const report = await new SimulationBuilder()
      .hermetic(false)
      .setWallClockBudget(150)
      .workload(
        workload('slow-ish', async (ctx) => {
          // Real time passes between iterations: about 20 ms each.
          await ctx.task.external(new Promise((r) => setTimeout(r, 20)));
          await ctx.time.sleep(1);
        }),
      )
      .run();
    assert.ok(report.iterations >= 1);
    assert.ok(report.iterations <= 8, `${report.iterations} iterations of >= 20 ms in 150 ms`);
    assert.ok(report.totalWallMs >= 150, `${report.totalWallMs}`);
    assert.ok(report.totalWallMs < 2000, `${report.totalWallMs}`);
    assert.equal(report.failedRuns, 0);
    // A single iteration longer than the limit still runs.
    const one = await new SimulationBuilder()
      .hermetic(false)
      .setIterationControl(IterationControl.TimeLimit(1))
      .workload(
        workload('longer', async (ctx) => {
          await ctx.task.external(new Promise((r) => setTimeout(r, 20)));
        }),
      )
      .run();
    assert.equal(one.iterations, 1);
    assert.throws(() => IterationControl.TimeLimit(0), RangeError);
    assert.throws(() => IterationControl.FixedCount(0), RangeError);
    assert.throws(() => new SimulationBuilder().setWallClockBudget(-5), /wall-clock budget/);
  });

  it('setTimeLimit is a deprecated alias of setWallClockBudget', async () => {
    assert.throws(() => new SimulationBuilder().setTimeLimit(0), /wall-clock budget/);
    const report = await new SimulationBuilder()
      .setTimeLimit(40)
      .workload(workload('quick', async (ctx) => ctx.time.sleep(1)))
      .run();
    assert.ok(report.iterations >= 1);
    assert.ok(report.totalWallMs >= 40, `${report.totalWallMs}`);
    assert.equal(report.failedRuns, 0);
  });

  it('a builder without workloads is a SimulationError', async () => {
    await assert.rejects(
      new SimulationBuilder().processes(1, () => ({ name: 'p', run: async () => {} })).run(),
      (err: unknown) => err instanceof SimulationError && /workload/.test(err.message),
    );
  });

  it('reports counts: successfulRuns, failedRuns, seedsFailing', async () => {
    const seedsToRun = [1n, 2n, 3n, 4n, 7n, 8n];
    let iteration = 0;
    const report = await new SimulationBuilder()
      .setName('counting')
      .workload(
        workload('picky', async (ctx) => {
          const seed = seedsToRun[iteration++] ?? 0n;
          await ctx.time.sleep(1);
          if (seed % 2n === 1n) throw new Error(`odd seed ${seed}`);
        }),
      )
      .setDebugSeeds(seedsToRun)
      .run();
    assert.equal(report.name, 'counting');
    assert.equal(report.iterations, 6);
    assert.equal(report.successfulRuns, 3);
    assert.equal(report.failedRuns, 3);
    assert.deepEqual(report.seedsFailing, [1n, 3n, 7n]);
    for (const r of report.runs) {
      if (r.ok) assert.equal(r.error, undefined);
      else assert.match(r.error ?? '', new RegExp(`odd seed ${r.seed}`));
    }
  });
});
