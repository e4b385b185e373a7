import { defineSimulation, Parallelism, SimulationBuilder } from 'moonpool';
import { DungeonWorkload } from './dungeon-workload.js';

/** The dungeon under multiverse exploration, with the configuration Moonpool ships for it. */
export const dungeonExplore = defineSimulation({
  name: 'dungeon-explore',
  description: 'the dungeon explored (shipped configuration): exploration finds the treasure',
  expectFailure: true,
  build: () =>
    new SimulationBuilder()
      .workload(new DungeonWorkload())
      .enableExploration({
        maxDepth: 120,
        timelinesPerSplit: 30,
        globalEnergy: 400_000,
        adaptive: {
          batchSize: 30,
          minTimelines: 400,
          maxTimelines: 1000,
          perMarkEnergy: 10_000,
          warmMinTimelines: 30,
        },
        parallelism: Parallelism.HalfCores,
      })
      .setIterations(3),
});
