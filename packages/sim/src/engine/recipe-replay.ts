import type { AssertionStore } from '@moonpool/explorer';
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
}

/** Arms the generator to reseed at each recipe step, and the discovery hook for the own part. */
export function followRecipe(world: SimWorld, assertions: AssertionStore, replay: TimelineReplay): void {
  const rng = world.rng;
  const { recipe, onSplitpoint } = replay;
  assertions.suppressed = recipe.length > 0;
  let next = 0;
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
  if (onSplitpoint) assertions.onDiscovery = (mark) => onSplitpoint(mark, rng.calls, rng.seed);
}
