// A synthetic, simulator-free multiverse for the Multiverse tests: each timeline's outcome is a pure
// function of (root seed, recipe), so every decision of the explorer can be derived by hand.
import { childSeed } from '../../src/child-seed.js';
import {
  type BatchRunner,
  type ExplorationConfig,
  Multiverse,
  type Recipe,
  type SeedExploration,
  type Splitpoint,
  type TimelineOutcome,
} from '../../src/index.js';

/** What a synthetic timeline does. */
export interface Fake {
  bits?: readonly number[];
  /** Splitpoints as (mark, count); their seed is the timeline's own (root seed or last reseed). */
  splits?: ReadonlyArray<readonly [mark: string, count: number]>;
  bug?: boolean;
  traceHash?: string;
}

export type World = (rootSeed: bigint, recipe: Recipe) => Fake;

/** The seed a timeline runs on at its end: the root seed, or its last reseed. */
export function timelineSeed(rootSeed: bigint, recipe: Recipe): bigint {
  return recipe.length === 0 ? rootSeed : (recipe[recipe.length - 1]?.seed as bigint);
}

export function toOutcome(rootSeed: bigint, recipe: Recipe, fake: Fake): TimelineOutcome {
  const coverage = [...new Set(fake.bits ?? [])];
  const seed = timelineSeed(rootSeed, recipe);
  const splitpoints: Splitpoint[] = (fake.splits ?? []).map(([mark, count]) => ({ mark, count, seed }));
  return {
    bug: fake.bug ?? false,
    coverage,
    splitpoints,
    draws: 100 * (recipe.length + 1),
    ownDraws: 100,
    ...(fake.traceHash === undefined ? {} : { traceHash: fake.traceHash }),
  };
}

/** Index of the child of (mark, parentSeed) whose seed is `seed` (memoised; -1 when none below 4096). */
const childTables = new Map<string, Map<bigint, number>>();
export function childIndex(mark: string, parentSeed: bigint, seed: bigint): number {
  const key = `${mark}\u0000${parentSeed}`;
  let table = childTables.get(key);
  if (table === undefined) {
    table = new Map();
    for (let i = 0; i < 4096; i++) table.set(childSeed(mark, parentSeed, i), i);
    childTables.set(key, table);
  }
  return table.get(seed) ?? -1;
}

export interface Harness {
  multiverse: Multiverse;
  /** Every batch the explorer asked for, in order (the root's batch first). */
  batches: Recipe[][];
  /** Indices (within the batch) in the order the runner finished them. */
  completions: number[][];
  explore(seed: bigint): Promise<SeedExploration>;
}

/**
 * A BatchRunner over `world`. Sequential runs recipes one after another; concurrent starts them all and
 * finishes them in reverse order (the last recipe of a batch first).
 */
export function harness(config: ExplorationConfig, world: World, mode: 'sequential' | 'concurrent' = 'sequential'): Harness {
  let rootSeed = 0n;
  const batches: Recipe[][] = [];
  const completions: number[][] = [];
  const runOne = (recipe: Recipe): TimelineOutcome => toOutcome(rootSeed, recipe, world(rootSeed, recipe));
  const runner: BatchRunner = async (recipes) => {
    batches.push(recipes.map((r) => [...r]));
    const done: number[] = [];
    completions.push(done);
    if (mode === 'sequential') {
      const out: TimelineOutcome[] = [];
      for (const [k, r] of recipes.entries()) {
        await Promise.resolve();
        out.push(runOne(r));
        done.push(k);
      }
      return out;
    }
    return Promise.all(
      recipes.map(async (r, k) => {
        for (let t = 0; t < recipes.length - k; t++) await new Promise<void>((resolve) => setImmediate(resolve));
        const o = runOne(r);
        done.push(k);
        return o;
      }),
    );
  };
  const multiverse = new Multiverse(config, runner);
  return {
    multiverse,
    batches,
    completions,
    explore: (seed) => {
      rootSeed = seed;
      return multiverse.exploreSeed(seed);
    },
  };
}

export function step(mark: string, parentSeed: bigint, count: number, index: number): { count: number; seed: bigint } {
  return { count, seed: childSeed(mark, parentSeed, index) };
}

export const ROOT = 1000n;
