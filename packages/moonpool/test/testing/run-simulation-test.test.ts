// runSimulationTest: passes quietly on a good simulation, throws a reproducible failure on a bad one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  assertAlways,
  assertSometimes,
  defineSimulation,
  runSimulationTest,
  SimulationBuilder,
  SimulationTestError,
  type Workload,
} from '../../src/index.js';

/** Fails on roughly a quarter of the seeds: each of three draws is >= 0.9 with probability 0.1. */
const flakyWorkload: Workload = {
  name: 'w',
  async run(ctx) {
    for (let i = 0; i < 3; i++) {
      await ctx.time.sleep(10);
      assertAlways(ctx.random.random() < 0.9, 'rare');
    }
  },
};

const good = defineSimulation({
  name: 'good',
  build: () =>
    new SimulationBuilder()
      .workload({
        name: 'w',
        async run(ctx) {
          await ctx.time.sleep(5);
          assertSometimes(ctx.random.random() > 2, 'impossible');
        },
      })
      .setIterations(4),
});

const flaky = defineSimulation({
  name: 'flaky-rare',
  build: () => new SimulationBuilder().workload(flakyWorkload).setIterations(20),
});

async function failure(run: Promise<unknown>): Promise<SimulationTestError> {
  try {
    await run;
  } catch (err) {
    assert.ok(err instanceof SimulationTestError);
    return err;
  }
  assert.fail('expected the simulation test to fail');
}

test('a passing simulation resolves to its report', async () => {
  const report = await runSimulationTest(good);
  assert.equal(report.iterations, 4);
  assert.equal(report.failedRuns, 0);
});

test('iterations overrides the count', async () => {
  assert.equal((await runSimulationTest(good, { iterations: 2 })).iterations, 2);
});

test('coverage violations fail only when asked', async () => {
  const report = await runSimulationTest(good);
  assert.equal(report.coverageViolations.length, 1);
  const err = await failure(runSimulationTest(good, { failOnCoverageViolations: true }));
  assert.match(err.message, /coverage violations: .*impossible/);
});

test('a failing definition throws with its seeds and the commands that reproduce them', async () => {
  const err = await failure(runSimulationTest(flaky));
  const seeds = err.report.seedsFailing;
  assert.ok(seeds.length > 0);
  assert.match(err.message, /^simulation 'flaky-rare' failed: \d+ of 20 seeds failed/);
  assert.match(err.message, /=== Simulation Report ===/);
  for (const seed of seeds) {
    assert.ok(err.message.includes(`npx moonpool sim run flaky-rare --seed ${seed}`), String(seed));
  }
});

test('seeds pins exactly those seeds, and a failing seed fails again', async () => {
  const seed = (await failure(runSimulationTest(flaky))).report.seedsFailing[0];
  assert.ok(seed !== undefined);
  const err = await failure(runSimulationTest(flaky, { seeds: [seed] }));
  assert.deepEqual(err.report.seedsUsed, [seed]);
  const report = await runSimulationTest(good, { seeds: [1, 2n] });
  assert.deepEqual(report.seedsUsed, [1n, 2n]);
});

test('a failing bare builder names the setDebugSeeds call that reproduces it', async () => {
  const builder = new SimulationBuilder().setName('bare').workload(flakyWorkload).setIterations(20);
  const err = await failure(runSimulationTest(builder));
  const seed = err.report.seedsFailing[0];
  assert.ok(seed !== undefined);
  assert.ok(err.message.includes(`.setDebugSeeds([${seed}n])`));
  assert.doesNotMatch(err.message, /npx moonpool/);
});
