import { assertAlways, type SimContext, type Workload } from 'moonpool';
import { MAX_STEPS, type RandomSource, runMaze } from './maze.js';

export interface MazeWorkloadOptions {
  /** Step budget of one run (default 500). */
  maxSteps?: number;
  /** Where the maze draws from (default: the simulation's random provider). Tests rig it. */
  random?: (ctx: SimContext) => RandomSource;
}

/** Runs the maze once per iteration; opening all four locks is the bug the always-assertion reports. */
export class MazeWorkload implements Workload {
  readonly name = 'maze';
  private readonly maxSteps: number;
  private readonly random: (ctx: SimContext) => RandomSource;

  constructor(options: MazeWorkloadOptions = {}) {
    this.maxSteps = options.maxSteps ?? MAX_STEPS;
    this.random = options.random ?? ((ctx) => ctx.random);
  }

  async run(ctx: SimContext): Promise<void> {
    // Under exploration, children of a split start from a snapshot of this machine (ctx.random only).
    const { result, steps } = runMaze(this.random(ctx), this.maxSteps);
    assertAlways(result !== 'BugFound', 'maze bug: all 4 locks opened');
    // One simulated ms per step: the report shows run lengths, and the event puts the run's draw
    // count in the trace hash.
    await ctx.time.sleep(steps);
  }
}
