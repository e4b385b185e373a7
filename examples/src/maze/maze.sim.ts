import { defineSimulation, SimulationBuilder } from 'moonpool';
import { MazeWorkload } from './maze-workload.js';

/** Plain (unexplored) maze: the bug is practically unreachable, so every iteration passes. */
export const maze = defineSimulation({
  name: 'maze',
  description: '4 locks behind 5 nested 5% gates each; opening all of them is the bug',
  build: () => new SimulationBuilder().workload(new MazeWorkload()).setIterations(200),
});
