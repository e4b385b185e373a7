// Multiverse exploration through the SimulationBuilder: a small nested-gate workload whose
// "bug" plain random seeds practically never reach, but timelines branching at each new gate do.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertAlways, assertSometimes, assertSometimesEach } from '@moonpool/core';
import {
  type BugRecipe,
  type ExplorationConfig,
  formatBugRecipe,
  formatRecipe,
  parseRecipe,
} from '@moonpool/explorer';
import {
  formatReport,
  reportToJson,
  SimulationBuilder,
  type SimulationReport,
  type Workload,
} from '../../src/index.js';

const LOCKS = 3;
const GATES = 4;
const GATE_PROBABILITY = 0.15;
const STEPS = 40;
const BUG = 'all locks open';

/**
 * Each step draws once, then walks the gates of the next closed lock: each depth reached is a new
 * each-bucket (a splitpoint), and passing all gates opens the lock. A plain run opens all three with
 * probability around 1e-6; `start` fires once per run before any workload draw, `finished` once at the end.
 */
const gates: Workload = {
  name: 'gates',
  async run(ctx) {
    assertSometimes(true, 'start');
    let open = 0;
    for (let step = 0; step < STEPS && open < LOCKS; step++) {
      ctx.random.random();
      for (let depth = 0; depth < GATES; depth++) {
        assertSometimesEach('gate', { lock: open, depth });
        if (ctx.random.random() >= GATE_PROBABILITY) break;
        if (depth === GATES - 1) open++;
      }
    }
    assertAlways(true, 'finished');
    assertAlways(open < LOCKS, BUG);
    await ctx.time.sleep(1);
  },
};

const CONFIG: ExplorationConfig = {
  maxDepth: 30,
  timelinesPerSplit: 4,
  globalEnergy: 1000,
  adaptive: { batchSize: 10, minTimelines: 20, maxTimelines: 40, perMarkEnergy: 30 },
};

function explorer(config: ExplorationConfig = CONFIG): SimulationBuilder {
  return new SimulationBuilder().workload(gates).enableExploration(config);
}

function assertion(report: SimulationReport, msg: string): { passCount: number; failCount: number } {
  const found = report.assertions.find((a) => a.msg === msg);
  assert.ok(found, `assertion "${msg}" in the report`);
  return found;
}

function exploration(report: SimulationReport): NonNullable<SimulationReport['exploration']> {
  assert.ok(report.exploration, 'the report has an exploration section');
  return report.exploration;
}

describe('exploration through the builder', () => {
  it('finds the bug that as many plain random runs never find', async () => {
    const report = await explorer().setIterations(1).run();
    const e = exploration(report);
    assert.ok(e.bugsFound > 0, 'exploration found the bug');
    assert.equal(e.bugRecipes.length, e.bugsFound);
    assert.ok(e.totalTimelines > 0 && e.totalTimelines <= CONFIG.globalEnergy);
    assert.equal(e.energyRemaining, CONFIG.globalEnergy - e.totalTimelines);
    assert.ok(e.forkPoints > 0);
    // Only the root timeline is an iteration, and it did not fail; the bug is an always-violation.
    assert.equal(report.iterations, 1);
    assert.deepEqual(report.seedsFailing, []);
    assert.deepEqual(report.alwaysViolations, ['all locks open']);
    assert.match(formatReport(report), /"all locks open" failed \d+ of \d+ times/);
    for (const bug of e.bugRecipes) {
      assert.equal(bug.rootSeed, report.seedsUsed[0]);
      assert.ok(bug.recipe.length > 0);
      assert.match(bug.traceHash ?? '', /^[0-9a-f]+$/);
    }
    // The same number of runs without exploration: no bug.
    const plain = await new SimulationBuilder().workload(gates).setIterations(1 + e.totalTimelines).run();
    assert.equal(plain.iterations, 1 + e.totalTimelines);
    assert.deepEqual(plain.seedsFailing, []);
    assert.deepEqual(plain.alwaysViolations, []);
    assert.equal(plain.exploration, undefined);
    // Splitting draws nothing from the parent: the root timeline is the plain run of the same seed.
    assert.equal(report.runs[0]?.traceHash, plain.runs[0]?.traceHash);
  });

  it('every bug recipe replays to the recorded trace hash and the always-violation', async () => {
    const report = await explorer().setIterations(1).run();
    const bugs = exploration(report).bugRecipes;
    assert.ok(bugs.length > 0);
    for (const bug of bugs) {
      const replay = await new SimulationBuilder().workload(gates).replayRecipe(bug).run();
      assert.equal(replay.iterations, 1);
      assert.deepEqual(replay.seedsUsed, [bug.rootSeed]);
      const run = replay.runs[0];
      assert.ok(run);
      assert.equal(run.traceHash, bug.traceHash, formatBugRecipe(bug));
      assert.equal(run.ok, false);
      assert.deepEqual(run.alwaysViolations, [BUG]);
      // The report names the assertion as the iteration does; the text report adds its counts.
      assert.deepEqual(replay.alwaysViolations, [BUG]);
      assert.match(formatReport(replay), new RegExp(`\\[Always\\] "${BUG}" failed 1 of 1 times`));
      assert.equal(replay.exploration, undefined);
      // The printed form replays the same timeline.
      const fromText = await new SimulationBuilder().workload(gates).replayRecipe(formatBugRecipe(bug)).run();
      assert.equal(fromText.runs[0]?.traceHash, bug.traceHash);
      // A replay records only the timeline's own part: the prefix's `start` is not counted again.
      assert.equal(replay.assertions.find((a) => a.msg === 'start')?.passCount ?? 0, 0);
      assert.equal(assertion(replay, 'finished').passCount, 1);
      assert.equal(assertion(replay, BUG).failCount, 1);
    }
    // The empty recipe is the root timeline itself, and replayRecipe wins over exploration.
    const root: BugRecipe = { rootSeed: report.seedsUsed[0] as bigint, recipe: [] };
    const rootReplay = await explorer().replayRecipe(root).run();
    assert.equal(rootReplay.runs[0]?.traceHash, report.runs[0]?.traceHash);
    assert.equal(rootReplay.exploration, undefined);
    assert.equal(assertion(rootReplay, 'start').passCount, 1);
  });

  it('exploring twice gives identical exploration reports', async () => {
    const builder = explorer().setIterations(2);
    const first = await builder.run();
    const second = await builder.run();
    const fresh = await explorer().setIterations(2).run();
    assert.deepEqual(second.exploration, first.exploration);
    assert.deepEqual(fresh.exploration, first.exploration);
    assert.deepEqual(
      fresh.runs.map((r) => r.traceHash),
      first.runs.map((r) => r.traceHash),
    );
    assert.deepEqual(
      fresh.assertions.map((a) => [a.msg, a.passCount, a.failCount]),
      first.assertions.map((a) => [a.msg, a.passCount, a.failCount]),
    );
  });

  it('replayed prefixes are not counted twice', async () => {
    for (const seeds of [[7n], [7n, 8n, 9n]]) {
      const report = await explorer().setDebugSeeds(seeds).run();
      const e = exploration(report);
      const timelines = seeds.length + e.totalTimelines;
      // `start` fires before any workload draw: every child re-runs it inside its replayed prefix,
      // so only the root timelines count it.
      assert.equal(assertion(report, 'start').passCount, seeds.length);
      // Every splitpoint is followed by a draw, so every child reseeds and reaches `finished` in its
      // own part: roots plus children.
      assert.equal(assertion(report, 'finished').passCount, timelines);
      const bug = assertion(report, BUG);
      assert.equal(bug.failCount, e.bugsFound + report.seedsFailing.length);
      assert.equal(bug.passCount + bug.failCount, timelines);
    }
  });

  it('multi-seed: one perSeedTimelines entry per root seed; bugs carry their root seed', async () => {
    const seeds = [5n, 6n, 7n];
    const report = await explorer().setDebugSeeds(seeds).run();
    const e = exploration(report);
    assert.deepEqual(report.seedsUsed, seeds);
    assert.equal(report.iterations, 3);
    assert.equal(e.perSeedTimelines.length, 3);
    assert.equal(
      e.perSeedTimelines.reduce((a, b) => a + b, 0),
      e.totalTimelines,
    );
    // Energy is per seed: what is left is the last seed's.
    assert.equal(e.energyRemaining, CONFIG.globalEnergy - (e.perSeedTimelines[2] as number));
    for (const bug of e.bugRecipes) assert.ok(seeds.includes(bug.rootSeed));
    // Warm starts keep the explored map: later seeds find every gate already explored.
    const first = await explorer().setDebugSeeds([5n]).run();
    assert.equal(e.perSeedTimelines[0], exploration(first).totalTimelines);
    assert.equal(e.coverageBits, exploration(first).coverageBits);
    assert.ok((e.perSeedTimelines[1] as number) < (e.perSeedTimelines[0] as number));
    const two = await explorer().setIterations(2).run();
    assert.equal(exploration(two).perSeedTimelines.length, 2);
  });

  it('the JSON report carries the exploration section with printable seeds and recipes', async () => {
    const report = await explorer().setIterations(2).run();
    const e = exploration(report);
    const json = reportToJson(report);
    const text = JSON.stringify(json);
    const x = JSON.parse(text).exploration;
    assert.ok(x);
    assert.equal(x.totalTimelines, e.totalTimelines);
    assert.equal(x.forkPoints, e.forkPoints);
    assert.equal(x.bugsFound, e.bugsFound);
    assert.equal(x.energyRemaining, e.energyRemaining);
    assert.equal(x.reallocPoolRemaining, e.reallocPoolRemaining);
    assert.equal(x.coverageBits, e.coverageBits);
    assert.equal(x.coverageTotal, 8192);
    assert.ok(x.coverageBits > 0 && x.coverageBits <= x.coverageTotal);
    assert.equal(x.converged, e.converged);
    assert.deepEqual(x.perSeedTimelines, e.perSeedTimelines);
    assert.equal(x.perSeedTimelines.length, 2);
    assert.equal(x.bugRecipes.length, e.bugsFound);
    assert.ok(x.bugRecipes.length > 0);
    x.bugRecipes.forEach((b: { rootSeed: unknown; recipe: unknown; traceHash: unknown }, i: number) => {
      const bug = e.bugRecipes[i] as BugRecipe;
      assert.equal(typeof b.rootSeed, 'string');
      assert.equal(b.rootSeed, bug.rootSeed.toString());
      assert.match(b.rootSeed as string, /^\d+$/);
      assert.equal(b.recipe, formatRecipe(bug.recipe));
      assert.match(b.recipe as string, /^\d+@\d+( -> \d+@\d+)*$/);
      assert.deepEqual(parseRecipe(b.recipe as string), bug.recipe);
      assert.equal(b.traceHash, bug.traceHash);
    });
    // A run without exploration has no such section.
    const plain = reportToJson(await new SimulationBuilder().workload(gates).setIterations(1).run());
    assert.equal('exploration' in plain, false);
  });

  it('maxDepth 0 explores nothing beyond the root timelines', async () => {
    const report = await explorer({ ...CONFIG, maxDepth: 0 }).setIterations(2).run();
    const e = exploration(report);
    assert.equal(e.totalTimelines, 0);
    assert.equal(e.forkPoints, 0);
    assert.deepEqual(e.perSeedTimelines, [0, 0]);
    assert.equal(e.energyRemaining, CONFIG.globalEnergy);
    assert.equal(assertion(report, 'finished').passCount, 2);
  });

  it(
    'a recipe step with count 0 after a reseed reseeds at once (counts restart from zero)',
    async () => {
      const counter: Workload = {
        name: 'counter',
        async run(ctx) {
          for (let i = 0; i < 20; i++) ctx.random.random();
          assertAlways(true, 'end');
          await ctx.time.sleep(1);
        },
      };
      const replay = (recipe: string): Promise<SimulationReport> =>
        new SimulationBuilder().workload(counter).replayRecipe(recipe).run();
      const twoSteps = await replay('1:5@7 -> 0@9');
      const oneStep = await replay('1:5@9');
      // Reseeding with 7 and then, zero draws later, with 9 is reseeding with 9.
      assert.equal(twoSteps.runs[0]?.traceHash, oneStep.runs[0]?.traceHash);
      // And the timeline's own part (after its last step) records its assertions.
      assert.equal(assertion(twoSteps, 'end').passCount, 1);
    },
  );

  it('enableExploration rejects bad configurations with RangeErrors naming the field', () => {
    const b = new SimulationBuilder();
    assert.throws(() => b.enableExploration({ ...CONFIG, maxDepth: -1 }), { name: 'RangeError', message: /maxDepth/ });
    assert.throws(() => b.enableExploration({ ...CONFIG, globalEnergy: 1.5 }), {
      name: 'RangeError',
      message: /globalEnergy/,
    });
    assert.throws(() => b.enableExploration({ ...CONFIG, timelinesPerSplit: -2 }), {
      name: 'RangeError',
      message: /timelinesPerSplit/,
    });
    const adaptive = CONFIG.adaptive as NonNullable<ExplorationConfig['adaptive']>;
    assert.throws(
      () => b.enableExploration({ ...CONFIG, adaptive: { ...adaptive, minTimelines: 50, maxTimelines: 40 } }),
      { name: 'RangeError', message: /minTimelines/ },
    );
    assert.throws(() => b.enableExploration({ ...CONFIG, adaptive: { ...adaptive, batchSize: 0 } }), {
      name: 'RangeError',
      message: /batchSize/,
    });
    assert.throws(() => b.enableExploration({ ...CONFIG, adaptive: { ...adaptive, warmMinTimelines: -1 } }), {
      name: 'RangeError',
      message: /warmMinTimelines/,
    });
    assert.throws(() => b.replayRecipe('1:5@-3'), RangeError);
    assert.throws(() => b.replayRecipe('abc'), RangeError);
    // Valid configurations are accepted and chain.
    assert.equal(b.enableExploration(CONFIG), b);
  });
});
