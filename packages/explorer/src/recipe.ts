/** One step of a recipe: when the generator has made `count` draws since its last (re)seed, reseed it. */
export interface RecipeStep {
  /** Random draws since the generator's last (re)seed at which to reseed it; counting restarts at 0 after. */
  readonly count: number;
  /** The unsigned 64-bit seed to reseed it with (the child seed of that splitpoint). */
  readonly seed: bigint;
}

/** The path from a root seed to one timeline of its multiverse. */
export type Recipe = readonly RecipeStep[];

/** A bug found by exploration: replay `recipe` from `rootSeed` to see it again. */
export interface BugRecipe {
  /** The unsigned 64-bit seed the multiverse, and so the replay, starts from. */
  readonly rootSeed: bigint;
  /** The reseeds, in order, that lead from the root timeline to the failing one. */
  readonly recipe: Recipe;
  /** Trace hash of the timeline when it was found, which its replay reproduces. */
  readonly traceHash?: string;
  /** How the timeline failed, as the simulator described it. */
  readonly failure?: TimelineFailure;
}

/** Why a timeline is a bug: the simulator's failure kind and its message. */
export interface TimelineFailure {
  readonly kind: string;
  readonly message: string;
}

const U64_MAX = (1n << 64n) - 1n;

/** `151@8837201 -> 80@1293847` (the empty recipe is the root timeline: an empty string). */
export function formatRecipe(recipe: Recipe): string {
  return recipe.map((s) => `${s.count}@${s.seed}`).join(' -> ');
}

/** Parses `formatRecipe`'s output; throws a `RangeError` that names the bad step. */
export function parseRecipe(text: string): RecipeStep[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  return trimmed.split('->').map((part, i) => {
    const match = /^\s*(\d+)@(\d+)\s*$/.exec(part);
    if (!match) {
      throw new RangeError(
        `recipe step ${i + 1} ${JSON.stringify(part.trim())} is not of the form <count>@<seed>`,
      );
    }
    const count = Number(match[1]);
    const seed = BigInt(match[2] as string);
    if (!Number.isSafeInteger(count)) throw new RangeError(`recipe step ${i + 1}: count ${match[1]} is too large`);
    if (seed > U64_MAX) throw new RangeError(`recipe step ${i + 1}: seed ${match[2]} is not an unsigned 64-bit integer`);
    return { count, seed };
  });
}

/** `<rootSeed>:<recipe>`, the command line's form of a bug recipe. */
export function formatBugRecipe(bug: BugRecipe): string {
  return `${bug.rootSeed}:${formatRecipe(bug.recipe)}`;
}

/** Parses `<rootSeed>:<recipe>`; throws a `RangeError` saying what is wrong. */
export function parseBugRecipe(text: string): BugRecipe {
  const colon = text.indexOf(':');
  if (colon < 0) throw new RangeError(`bug recipe ${JSON.stringify(text)} must look like <seed>:<recipe>`);
  const seedText = text.slice(0, colon).trim();
  if (!/^\d+$/.test(seedText) || BigInt(seedText) > U64_MAX) {
    throw new RangeError(`bug recipe root seed ${JSON.stringify(seedText)} is not an unsigned 64-bit integer`);
  }
  return { rootSeed: BigInt(seedText), recipe: parseRecipe(text.slice(colon + 1)) };
}
