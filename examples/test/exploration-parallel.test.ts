// The bundled exploration examples on two worker threads explore exactly what one thread explores.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ExplorationConfig, Parallelism, type SimulationBuilder, type SimulationReport } from 'moonpool';
import { dungeonExplore } from '../src/dungeon/dungeon-explore.sim.js';
import { mazeExplore } from '../src/maze/maze-explore.sim.js';

// Sources compile to dist/src and tests to dist/test: the worker imports the compiled simulation module.
const MAZE_MODULE = new URL('../src/maze/maze-explore.sim.js', import.meta.url);
const DUNGEON_MODULE = new URL('../src/dungeon/dungeon-explore.sim.js', import.meta.url);

/** maze-explore.sim.ts's configuration. */
const MAZE_CONFIG: ExplorationConfig = {
  maxDepth: 30,
  timelinesPerSplit: 20,
  globalEnergy: 20_000,
  adaptive: { batchSize: 20, minTimelines: 60, maxTimelines: 150, perMarkEnergy: 600, warmMinTimelines: 20 },
};

/** dungeon-explore.sim.ts's configuration with far less energy (the shipped one runs for minutes). */
const DUNGEON_CONFIG: ExplorationConfig = {
  maxDepth: 120,
  timelinesPerSplit: 30,
  globalEnergy: 3000,
  adaptive: { batchSize: 30, minTimelines: 400, maxTimelines: 1000, perMarkEnergy: 10_000, warmMinTimelines: 30 },
};

function exploration(report: SimulationReport): NonNullable<SimulationReport['exploration']> {
  assert.ok(report.exploration, 'the report has an exploration section');
  return report.exploration;
}

/** Everything of a report that must not depend on how many threads explored. */
function comparable(report: SimulationReport): unknown {
  const { threads: _threads, ...e } = exploration(report);
  return {
    exploration: e,
    assertions: report.assertions,
    runs: report.runs.map(({ wallMs: _wallMs, ...run }) => run),
    alwaysViolations: report.alwaysViolations,
    warnings: report.warnings,
  };
}

async function compare(
  build: () => SimulationBuilder,
  config: ExplorationConfig,
  module: URL,
  exportName: string,
): Promise<SimulationReport> {
  // The worker module is also catalogued for assertion sites: the one-thread run gets the same catalogue.
  const one = await build()
    .enableExploration({ ...config, parallelism: Parallelism.Cores(1) })
    .catalogueAssertions(module)
    .run();
  const two = await build()
    .enableExploration({ ...config, parallelism: Parallelism.Cores(2) })
    .setWorkerModule(module, exportName)
    .run();
  assert.equal(exploration(one).threads, 1);
  assert.equal(exploration(two).threads, 2);
  assert.deepEqual(comparable(two), comparable(one));
  assert.deepEqual(two.warnings, []);
  return one;
}

describe('exploration examples on worker threads', () => {
  it('maze-explore (shipped configuration, two root seeds): Cores(2) explores what Cores(1) does', async () => {
    const report = await compare(() => mazeExplore.build(), MAZE_CONFIG, MAZE_MODULE, 'mazeExplore');
    const e = exploration(report);
    assert.equal(report.iterations, 2);
    assert.equal(e.perSeedTimelines.length, 2);
    assert.ok(e.bugsFound > 0, 'exploration opens all four locks');
    assert.ok(e.totalTimelines > 1000, `${e.totalTimelines} timelines`);
  });

  it('dungeon-explore (3000 timelines, one root seed): Cores(2) explores what Cores(1) does', async () => {
    const report = await compare(
      () => dungeonExplore.build().setIterations(1),
      DUNGEON_CONFIG,
      DUNGEON_MODULE,
      'dungeonExplore',
    );
    const e = exploration(report);
    assert.equal(e.totalTimelines, DUNGEON_CONFIG.globalEnergy);
    assert.ok(e.forkPoints > 1);
    assert.ok((report.assertions.find((a) => a.msg === 'room explored')?.buckets?.length ?? 0) > 1);
  });
});
