import { assertAlways, type SimContext, type Workload } from 'moonpool';
import { MAX_STEPS, runDungeon } from './dungeon-run.js';

/** Plays one game per iteration; reaching the treasure on floor 8 is the bug. */
export class DungeonWorkload implements Workload {
  readonly name = 'dungeon';

  constructor(private readonly maxSteps: number = MAX_STEPS) {}

  async run(ctx: SimContext): Promise<void> {
    const { result, steps } = runDungeon(ctx.random, this.maxSteps);
    const treasureFound = result === 'TreasureFound';
    assertAlways(!treasureFound, 'dungeon bug: treasure found on floor 8');
    // The game itself is one synchronous computation. Letting its turns pass as simulated time (1 ms
    // each) makes the report show game lengths, and the event it costs puts the game's draw count in
    // the trace hash, so two runs compare by hash.
    await ctx.time.sleep(steps);
  }
}
