import { defineSimulation, SimulationBuilder } from 'moonpool';
import { DungeonWorkload } from './dungeon-workload.js';

/** Plain (unexplored) dungeon: seven 3% key gates stand between the start and the treasure. */
export const dungeon = defineSimulation({
  name: 'dungeon',
  description: '8-floor roguelike; finding the treasure on floor 8 is the bug',
  build: () => new SimulationBuilder().workload(new DungeonWorkload()).setIterations(20),
});
