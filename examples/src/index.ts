export { dungeon } from './dungeon/dungeon.sim.js';
export { lease, leaseBuggy } from './lease/lease.sim.js';
export { maze } from './maze/maze.sim.js';
