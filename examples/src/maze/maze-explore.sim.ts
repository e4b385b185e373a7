import { defineSimulation, SimulationBuilder } from 'moonpool';
import { MazeWorkload } from './maze-workload.js';

/**
 * The maze under multiverse exploration, with the configuration Moonpool ships for it: timelines branch
 * at every new gate reached, so the four locks open one after another. Finding the bug is expected.
 */
export const mazeExplore = defineSimulation({
  name: 'maze-explore',
  description: 'the maze explored (shipped configuration): exploration opens all four locks',
  expectFailure: true,
  build: () =>
    new SimulationBuilder()
      .workload(new MazeWorkload())
      .enableExploration({
        maxDepth: 30,
        timelinesPerSplit: 20,
        globalEnergy: 20_000,
        adaptive: {
          batchSize: 20,
          minTimelines: 60,
          maxTimelines: 150,
          perMarkEnergy: 600,
          warmMinTimelines: 20,
        },
      })
      .setIterations(2),
});
