import { SimulationError } from '@moonpool/core';
import type { AssertionStore } from '@moonpool/explorer';
import type { SimRng } from '../kernel/rng.js';
import type { SimWorld } from '../kernel/world.js';

/**
 * A timeline of the multiverse, re-created by replay: the run starts from the root seed and the
 * generator is reseeded each time its draw count (since the last reseed) reaches a recipe step.
 * Assertions record nothing until the last step: the ancestors already counted that prefix.
 */
export interface TimelineReplay {
  recipe: ReadonlyArray<{ readonly count: number; readonly seed: bigint }>;
  /** Each discovery of the timeline's own part: its mark, the draw count since the last reseed, and that seed. */
  onSplitpoint?: (mark: string, count: number, seed: bigint) => void;
  /**
   * Every step must be reached (a recipe someone typed): otherwise the iteration throws
   * `RecipeNotReachedError` instead of passing off a shorter timeline as the one asked for.
   */
  requireAllSteps?: boolean;
}

/** A replayed recipe asked for a reseed at a draw the timeline never made. */
export class RecipeNotReachedError extends SimulationError {
  constructor(
    /** The first step not reached, counted from 1. */
    readonly step: number,
    /** Its draw count (since the previous reseed). */
    readonly count: number,
    /** Draws the timeline made since the previous reseed (since the start for step 1). */
    readonly draws: number,
  ) {
    const since = step > 1 ? ` after step ${step - 1}` : '';
    super(`recipe step ${step} (draw ${count}) not reached: the timeline made ${draws} draws${since}`);
  }
}

/**
 * Arms the generator to reseed at each recipe step, and the discovery hook for the own part.
 * Returns a check to call after the iteration: it throws when `requireAllSteps` and a step was missed.
 */
export function followRecipe(world: SimWorld, assertions: AssertionStore, replay: TimelineReplay): () => void {
  const rng = world.rng;
  const { recipe, onSplitpoint } = replay;
  assertions.suppressed = recipe.length > 0;
  const reached = armRecipeSteps(rng, assertions, recipe, 0);
  if (onSplitpoint) assertions.onDiscovery = (mark) => onSplitpoint(mark, rng.calls, rng.seed);
  // Read before the caller clears the breakpoint: `rng.calls` still counts from the last reseed.
  return () => {
    const next = reached();
    const missed = recipe[next];
    if (replay.requireAllSteps === true && missed !== undefined) {
      throw new RecipeNotReachedError(next + 1, missed.count, rng.calls);
    }
  };
}

/**
 * Arms `rng` to reseed at `recipe`'s steps from step `from` on, each after its count of draws since
 * the previous reseed; the last one ends the suppression of `assertions`. Returns how many steps have
 * been reached so far.
 */
export function armRecipeSteps(
  rng: SimRng,
  assertions: AssertionStore,
  recipe: TimelineReplay['recipe'],
  from: number,
): () => number {
  let next = from;
  const arm = (): void => {
    const step = recipe[next];
    if (step === undefined) return;
    rng.setBreakpoint(step.count, () => {
      rng.reseed(step.seed);
      next++;
      if (next === recipe.length) assertions.suppressed = false;
      else arm();
    });
  };
  arm();
  return () => next;
}
