// The maze and the dungeon are state machines: exploration starts every child from a snapshot of its
// parent, and checkDeterminism replays each of those children from time zero and compares everything it
// reports (trace hash, bug and failure, coverage, splitpoints, own draws, news). A difference fails the run.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SimulationReport } from 'moonpool';
import { dungeonExplore } from '../src/dungeon/dungeon-explore.sim.js';
import { mazeExplore } from '../src/maze/maze-explore.sim.js';

function checked(report: SimulationReport): NonNullable<SimulationReport['exploration']> {
  const e = report.exploration;
  assert.ok(e, 'the report has an exploration section');
  assert.equal(report.failedRuns, 0, report.runs.map((r) => r.error ?? '').join('\n'));
  // Every child ran from a snapshot, and was checked against its replay (the run would have thrown).
  assert.equal(e.snapshotStarts, e.totalTimelines);
  assert.ok(e.draws / e.ownDraws <= 1.2, `replay overhead ${(e.draws / e.ownDraws).toFixed(3)}x`);
  return e;
}

describe('snapshot-started children of the bundled state machines', () => {
  it('maze-explore (shipped configuration): every child is bit-identical to its replay from time zero', async () => {
    const e = checked(await mazeExplore.build().checkDeterminism().run());
    assert.ok(e.totalTimelines > 1000, `${e.totalTimelines} timelines`);
    assert.ok(e.bugsFound > 0, 'exploration opens all four locks');
  });

  it('dungeon-explore (3000 timelines, one root seed): every child is bit-identical to its replay', async () => {
    const report = await dungeonExplore
      .build()
      .enableExploration({
        maxDepth: 120,
        timelinesPerSplit: 30,
        globalEnergy: 3000,
        adaptive: { batchSize: 30, minTimelines: 400, maxTimelines: 1000, perMarkEnergy: 10_000, warmMinTimelines: 30 },
      })
      .setIterations(1)
      .checkDeterminism()
      .run();
    const e = checked(report);
    assert.equal(e.totalTimelines, 3000);
    assert.ok(e.forkPoints > 1);
  });
});
