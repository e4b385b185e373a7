// builder.checkDeterminism(everyNth): every Nth seed runs twice; the first seed whose two runs
// differ fails the run with a `nondeterminism` failure naming the first differing event.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertSometimes } from '@moonpool/core';
import { SimulationBuilder } from '../../src/builder/builder.js';
import type { Workload } from '../../src/engine/context.js';
import type { IterationFailure } from '../../src/kernel/failure.js';
import type { SimulationReport } from '../../src/report/simulation-report.js';
import { quiet } from '../support/fault-injector-helpers.js';

type Nondeterminism = Extract<IterationFailure, { kind: 'nondeterminism' }>;

function nondeterminism(report: SimulationReport): Nondeterminism {
  const failed = report.runs.find((r) => !r.ok);
  assert.ok(failed, 'a run failed');
  assert.equal(failed.failure?.kind, 'nondeterminism', failed.error);
  return failed.failure as Nondeterminism;
}

/** A workload that sleeps a little longer each time it runs: state kept outside the simulation. */
function drifting(): Workload {
  let runs = 0;
  return {
    name: 'drifting',
    async run(ctx) {
      runs++;
      await ctx.time.sleep(5);
      await ctx.time.sleep(runs);
    },
  };
}

/** A deterministic workload that draws, sleeps and records an assertion. */
const steady: Workload = {
  name: 'steady',
  async run(ctx) {
    for (let i = 0; i < 5; i++) {
      await ctx.time.sleep(ctx.random.randomRange(1, 100));
      assertSometimes(ctx.random.random() < 0.5, 'coin');
    }
  },
};

describe('builder.checkDeterminism', () => {
  it('a deterministic simulation passes, with the same runs and assertion counts as unchecked', async () => {
    const plain = await new SimulationBuilder().workload(steady).setIterations(30).run();
    const checked = await new SimulationBuilder().workload(steady).setIterations(30).checkDeterminism().run();
    assert.equal(checked.failedRuns, 0);
    assert.deepEqual(
      checked.runs.map((r) => r.traceHash),
      plain.runs.map((r) => r.traceHash),
    );
    assert.deepEqual(checked.assertions, plain.assertions, 'the second runs record no assertion');
  });

  it('state kept between runs is caught at the first seed, naming the first differing event', async () => {
    const report = await new SimulationBuilder().workload(drifting()).setIterations(20).checkDeterminism().run();
    assert.equal(report.iterations, 1, 'the run stops at the first divergence');
    assert.equal(report.failedRuns, 1);
    const failure = nondeterminism(report);
    assert.notEqual(failure.hashes[0], failure.hashes[1]);
    const d = failure.divergence;
    assert.ok(d, 'the recorded re-runs located it');
    assert.equal(d.cause, 'event');
    assert.ok(d.first && d.second);
    assert.equal(d.first.kind, 'Timer');
    assert.equal(d.first.machine, d.second.machine);
    assert.equal(d.first.seq, d.second.seq);
    assert.notEqual(d.first.atMs, d.second.atMs, 'the second sleep ends at another time');
    assert.equal(d.second.atMs - d.first.atMs, 1);
    const error = report.runs[0]?.error ?? '';
    assert.match(error, /^nondeterminism: the same execution gave trace hashes [0-9a-f]{16} and [0-9a-f]{16}/);
    assert.match(error, /Timer at \d+ ms \(seq \d+, machine 10\.0\.0\.\d+, after \d+ draws\) in one run/);
  });

  it('without the check the same simulation passes: the check is what catches it', async () => {
    const report = await new SimulationBuilder().workload(drifting()).setIterations(20).run();
    assert.equal(report.failedRuns, 0);
  });

  it('Math.random read by a workload (outside hermetic mode) is caught', async () => {
    const builder = new SimulationBuilder()
      .workload({
        name: 'real-random',
        async run(ctx) {
          await ctx.time.sleep(1);
          // A real random number of draws from the seeded generator: the trace differs.
          for (let i = Math.floor(Math.random() * 1000); i > 0; i--) ctx.random.random();
          await ctx.time.sleep(1);
        },
      })
      .setIterations(20)
      .checkDeterminism();
    // Hermetic mode, where it exists, would make Math.random deterministic: opt out of it.
    (builder as { hermetic?: (on: boolean) => unknown }).hermetic?.(false);
    const report = await builder.run();
    const d = nondeterminism(report).divergence;
    assert.ok(d);
    assert.equal(d.cause, 'event');
    assert.notEqual(d.first?.draws, d.second?.draws, 'the draws before the next event differ');
  });

  it('bytes that differ with the same events are located as data of an event', async () => {
    let runs = 0;
    const report = await quiet()
      .workload({
        name: 'writer',
        async run(ctx) {
          runs++;
          const file = await ctx.storage.open('/f', { write: true, create: true });
          await file.writeAt(0, Uint8Array.from([runs & 0xff]));
          await file.close();
        },
      })
      .setIterations(3)
      .checkDeterminism()
      .run();
    const d = nondeterminism(report).divergence;
    assert.ok(d);
    assert.equal(d.cause, 'data');
    assert.equal(d.first?.kind, 'StorageWrite');
    assert.deepEqual(d.first, d.second);
    assert.match(report.runs[0]?.error ?? '', /bytes delivered or written while it ran differ/);
  });

  it('checks every Nth seed only', async () => {
    let runs = 0;
    const counting: Workload = {
      name: 'counting',
      async run(ctx) {
        runs++;
        await ctx.time.sleep(1);
      },
    };
    const report = await new SimulationBuilder().workload(counting).setIterations(10).checkDeterminism(4).run();
    assert.equal(report.failedRuns, 0);
    // Seeds 0, 4 and 8 run twice more than the others.
    assert.equal(runs, 10 + 3);
  });

  it('a replayed recipe is checked too', async () => {
    let runs = 0;
    const report = await new SimulationBuilder()
      .workload({
        name: 'drawing',
        async run(ctx) {
          runs++;
          for (let i = 0; i < 10; i++) ctx.random.random();
          await ctx.time.sleep(runs);
        },
      })
      .replayRecipe('7:3@99')
      .checkDeterminism()
      .run();
    assert.equal(report.iterations, 1);
    assert.equal(nondeterminism(report).divergence?.cause, 'event');
  });

  it('in exploration the root timelines are checked, and a divergence ends the exploration', async () => {
    let runs = 0;
    const report = await new SimulationBuilder()
      .workload({
        name: 'exploring',
        async run(ctx) {
          runs++;
          for (let i = 0; i < 3; i++) {
            await ctx.time.sleep(1);
            assertSometimes(ctx.random.random() < 0.3, `branch ${i}`);
          }
          await ctx.time.sleep(runs);
        },
      })
      .enableExploration({ maxDepth: 5, timelinesPerSplit: 4, globalEnergy: 40 })
      .setIterations(5)
      .checkDeterminism()
      .run();
    assert.equal(report.failedRuns, 1);
    assert.equal(report.iterations, 1, 'the first root seed diverged: no other is explored');
    assert.ok((report.exploration?.totalTimelines ?? 0) > 1, 'its multiverse was explored first');
    assert.equal(nondeterminism(report).divergence?.cause, 'event');
  });

  it('a deterministic exploration passes the check with the same report', async () => {
    const build = (): SimulationBuilder =>
      new SimulationBuilder()
        .workload(steady)
        .enableExploration({ maxDepth: 5, timelinesPerSplit: 4, globalEnergy: 60 })
        .setIterations(3);
    const plain = await build().run();
    const checked = await build().checkDeterminism().run();
    assert.equal(checked.failedRuns, 0);
    assert.deepEqual(
      checked.runs.map((r) => r.traceHash),
      plain.runs.map((r) => r.traceHash),
    );
    assert.deepEqual(checked.exploration?.bugRecipes, plain.exploration?.bugRecipes);
    assert.equal(checked.exploration?.totalTimelines, plain.exploration?.totalTimelines);
    assert.deepEqual(checked.assertions, plain.assertions);
  });

  it('rejects an everyNth that is not a positive integer', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      assert.throws(() => new SimulationBuilder().checkDeterminism(bad), /checkDeterminism\(everyNth\): a positive integer/);
    }
  });
});
