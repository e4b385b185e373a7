// builder.setAbortSignal: an aborted run stops at the next iteration (exploration: timeline) boundary
// and reports what ran, marked interrupted.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertAlways, assertSometimesEach } from '@moonpool/core';
import { formatReport, reportToJson, SimulationBuilder, type Workload } from '../../src/index.js';

const sleeper: Workload = {
  name: 'w',
  async run(ctx) {
    await ctx.time.sleep(1);
  },
};

const gates: Workload = {
  name: 'gates',
  async run(ctx) {
    let open = 0;
    for (let step = 0; step < 30 && open < 2; step++) {
      ctx.random.random();
      for (let depth = 0; depth < 3; depth++) {
        assertSometimesEach('gate', { lock: open, depth });
        if (ctx.random.random() >= 0.3) break;
        if (depth === 2) open++;
      }
    }
    assertAlways(open < 2, 'two locks open');
    await ctx.time.sleep(1);
  },
};

describe('setAbortSignal', () => {
  it('plain seeds: the iteration under way finishes, no other starts', async () => {
    const controller = new AbortController();
    const report = await new SimulationBuilder()
      .workload(sleeper)
      .setIterations(1000)
      .setAbortSignal(controller.signal)
      .onIterationDone((_, index) => {
        if (index === 4) controller.abort();
      })
      .run();
    assert.equal(report.interrupted, true);
    assert.equal(report.iterations, 5);
    assert.equal(report.seedsUsed.length, 5);
    assert.equal(reportToJson(report).interrupted, true);
    assert.match(formatReport(report), /INTERRUPTED/);
  });

  it('a run that is not aborted is not marked', async () => {
    const report = await new SimulationBuilder()
      .workload(sleeper)
      .setIterations(3)
      .setAbortSignal(new AbortController().signal)
      .run();
    assert.equal(report.interrupted, undefined);
    assert.equal('interrupted' in reportToJson(report), false);
  });

  it('an already aborted signal runs nothing', async () => {
    const report = await new SimulationBuilder().workload(sleeper).setAbortSignal(AbortSignal.abort()).run();
    assert.equal(report.iterations, 0);
    assert.equal(report.interrupted, true);
  });

  it('exploration: stops before the next batch and keeps the timelines and bugs found', async () => {
    const config = {
      maxDepth: 100,
      timelinesPerSplit: 4,
      globalEnergy: 1_000_000,
      adaptive: { batchSize: 10, minTimelines: 50, maxTimelines: 500, perMarkEnergy: 10_000 },
    };
    const controller = new AbortController();
    let batches = 0;
    const report = await new SimulationBuilder()
      .workload(gates)
      .enableExploration(config)
      .setIterations(100)
      .setAbortSignal(controller.signal)
      .onExplorationProgress((status) => {
        batches++;
        if (status.bugs > 0 && batches > 20) controller.abort();
      })
      .run();
    assert.equal(report.interrupted, true);
    assert.equal(report.iterations, 1, 'no second root seed started');
    const e = report.exploration;
    assert.ok(e);
    assert.ok(e.bugsFound > 0);
    assert.equal(e.converged, false);
    // Every batch's children are counted: the root's progress call comes before any child.
    assert.ok(e.totalTimelines > 0 && e.totalTimelines <= (batches - 1) * 10);
  });

  it('an exploration aborted before its first seed is interrupted and not converged', async () => {
    const report = await new SimulationBuilder()
      .workload(gates)
      .enableExploration({ maxDepth: 3, timelinesPerSplit: 2, globalEnergy: 100 })
      .setAbortSignal(AbortSignal.abort())
      .run();
    assert.equal(report.interrupted, true);
    assert.equal(report.iterations, 0);
    assert.equal(report.exploration?.converged, false);
  });

  it('rejects what is not an AbortSignal', () => {
    assert.throws(() => new SimulationBuilder().setAbortSignal({} as AbortSignal), /AbortSignal/);
  });
});
