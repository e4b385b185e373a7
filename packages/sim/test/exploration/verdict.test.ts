// One verdict rule in exploration: a timeline that fails in any way (here: a workload that throws
// instead of asserting) is a bug with its failure kind and text, and the run fails.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertSometimesEach } from '@moonpool/core';
import { formatBugRecipe } from '@moonpool/explorer';
import { SimulationBuilder } from '../../src/builder/builder.js';
import type { Workload } from '../../src/engine/context.js';
import { formatReport } from '../../src/report/format-report.js';
import { reportToJson } from '../../src/report/report-json.js';
import { reportSucceeded, type SimulationReport } from '../../src/report/simulation-report.js';

const LOCKS = 3;
const GATES = 4;

/** Nested gates as in the maze; opening every lock throws instead of calling assertAlways. */
const throwingGates: Workload = {
  name: 'throwing-gates',
  async run(ctx) {
    let open = 0;
    for (let step = 0; step < 40 && open < LOCKS; step++) {
      ctx.random.random();
      for (let depth = 0; depth < GATES; depth++) {
        assertSometimesEach('gate', { lock: open, depth });
        if (ctx.random.random() >= 0.15) break;
        if (depth === GATES - 1) open++;
      }
    }
    if (open === LOCKS) throw new Error('all locks open');
    await ctx.time.sleep(1);
  },
};

function explore(): Promise<SimulationReport> {
  return new SimulationBuilder()
    .workload(throwingGates)
    .enableExploration({
      maxDepth: 30,
      timelinesPerSplit: 4,
      globalEnergy: 1000,
      adaptive: { batchSize: 10, minTimelines: 20, maxTimelines: 40, perMarkEnergy: 30 },
    })
    .setIterations(1)
    .run();
}

describe('exploration verdict', () => {
  it('a timeline whose workload throws is a bug with its failure, and the run fails', async () => {
    const report = await explore();
    const e = report.exploration;
    assert.ok(e && e.bugsFound > 0, 'exploration reached the throw');
    assert.equal(report.failedRuns, 0, 'the root timeline itself passes');
    assert.deepEqual(report.alwaysViolations, [], 'no assertion failed: only an error was thrown');
    assert.equal(reportSucceeded(report), false, 'a bug found by exploration fails the run');
    for (const bug of e.bugRecipes) {
      assert.equal(bug.failure?.kind, 'workload-threw');
      assert.match(bug.failure?.message ?? '', /workload "throwing-gates" run failed: Error: all locks open/);
    }
    const json = reportToJson(report);
    assert.equal(json.exploration?.bugRecipes[0]?.failure?.kind, 'workload-threw');
    const text = formatReport(report);
    assert.match(text, /Timelines: [\d,]+ {2}\| {2}Fork points/);
    assert.match(text, /workload-threw: workload "throwing-gates" run failed: Error: all locks open/);
  });

  it('replaying a bug recipe fails the same way, with the same trace hash', async () => {
    const bug = (await explore()).exploration?.bugRecipes[0];
    assert.ok(bug);
    const replay = await new SimulationBuilder().workload(throwingGates).replayRecipe(formatBugRecipe(bug)).run();
    const run = replay.runs[0];
    assert.equal(run?.ok, false);
    assert.equal(run?.failure?.kind, 'workload-threw');
    assert.equal(run?.traceHash, bug.traceHash);
    assert.equal(reportSucceeded(replay), false);
  });
});
