import { SimulationError } from '@moonpool/core';
import type { AssertionStore, Recipe } from '@moonpool/explorer';
import { armRecipeSteps } from '../engine/recipe-replay.js';
import { activeWorld } from '../kernel/active-world.js';
import type { RngPosition, SimRng } from '../kernel/rng.js';
import { type MachineDirector, type MachineResume, setMachineDirector } from '../state-machine/machine-director.js';
import { restoreFrom, type Snapshotting } from '../state-machine/machine.js';

/**
 * A step boundary of a state-machine run inside a timeline, as plain data: where the children of one
 * splitpoint start instead of replaying their parent's prefix (it can be sent to a worker thread).
 */
export interface MachineStart {
  /** Which machine run of the iteration (0: the first). */
  readonly run: number;
  /** The generator's total draws when that run began (the same in every child: checked). */
  readonly beganAt: number;
  /** Steps taken at the boundary. */
  readonly steps: number;
  /** The run had ended (the split comes after it, outside the machine): the state is its final one. */
  readonly finished: boolean;
  /** The machine's `snapshot` of its state there. */
  readonly state: unknown;
  /** The generator there. */
  readonly rng: RngPosition;
}

/** Total draws of a generator at `position`. */
export function drawsAt(position: RngPosition): number {
  return position.earlierCalls + position.calls;
}

/**
 * Plugged into a child's run: counts its machine runs, and resumes the one `start` names from the
 * snapshot, with the generator where it was and the recipe's remaining steps armed.
 */
class StartDirector implements MachineDirector {
  runs = 0;
  /** Draws the snapshot saved this run (the prefix it did not replay). */
  skipped = 0;

  constructor(
    private readonly start: MachineStart | null,
    private readonly recipe: Recipe,
    private readonly assertions: AssertionStore,
  ) {}

  begin(machine: Snapshotting<unknown>): MachineResume | null {
    const run = this.runs++;
    const start = this.start;
    if (start === null || run !== start.run) return null;
    const rng = (activeWorld() as NonNullable<ReturnType<typeof activeWorld>>).rng;
    if (rng.totalCalls !== start.beganAt) {
      throw new SimulationError(
        `snapshot start: machine run ${run} began after ${rng.totalCalls} draws, in the prefix after ` +
          `${start.beganAt}: the simulation is not deterministic before its state machine runs`,
      );
    }
    this.skipped = drawsAt(start.rng) - rng.totalCalls;
    rng.moveTo(start.rng);
    armRemainingSteps(rng, this.assertions, this.recipe);
    return { state: restoreFrom(machine, start.state), steps: start.steps, finished: start.finished };
  }

  boundary(): void {}

  end(): void {}
}

/**
 * Arms the generator for the steps of `recipe` it has not reached yet (judged by its total draws:
 * step m reseeds when the draw after the sum of the counts up to m is asked for), as `followRecipe`
 * arms them from time zero: the last one ends the suppression of the assertion store.
 */
function armRemainingSteps(rng: SimRng, assertions: AssertionStore, recipe: Recipe): void {
  const total = rng.totalCalls;
  let next = 0;
  for (let at = 0; next < recipe.length; next++) {
    at += (recipe[next] as Recipe[number]).count;
    if (at >= total) break;
  }
  if (next >= recipe.length || !assertions.suppressed) {
    throw new SimulationError('internal: a snapshot start lies after its timeline\'s last recipe step');
  }
  armRecipeSteps(rng, assertions, recipe, next);
}

/**
 * Runs `timeline` (one iteration of a child with `recipe`, recording into `assertions`) with its state
 * machine resumed from `start` when given; also counts its machine runs and the draws `start` saved.
 */
export async function startedAt<T>(
  start: MachineStart | null,
  recipe: Recipe,
  assertions: AssertionStore,
  timeline: () => Promise<T>,
): Promise<{ value: T; machineRuns: number; skipped: number }> {
  const director = new StartDirector(start, recipe, assertions);
  setMachineDirector(director);
  try {
    const value = await timeline();
    return { value, machineRuns: director.runs, skipped: director.skipped };
  } finally {
    setMachineDirector(null);
  }
}
