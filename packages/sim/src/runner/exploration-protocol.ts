import type { Recipe, RecipeStep, StoreDelta, StoreState } from '@moonpool/explorer';
import type { TimelineResult } from './timeline-runner.js';

/** Where a worker thread finds the simulation: a module and one of its exports (see `setWorkerModule`). */
export interface WorkerSource {
  readonly moduleUrl: string;
  readonly exportName: string;
}

/** What a worker starts with: the simulation, and the counter its batches' timelines are taken from. */
export interface WorkerInit {
  readonly source: WorkerSource;
  /** One Int32: the index of the next timeline of the current batch to take (`Atomics.add`). */
  readonly next: SharedArrayBuffer;
}

/**
 * The timelines of a batch: each is `prefix` followed by one of `lasts` (children of one splitpoint
 * share their parent's recipe), so deep recipes are not copied once per child.
 */
export interface BatchRecipes {
  readonly prefix: Recipe;
  readonly lasts: readonly (RecipeStep | null)[];
}

/** Main thread to worker: take timelines of this batch until none is left, then send the results. */
export interface RunBatch {
  readonly rootSeed: bigint;
  /** A new start state (`AssertionStore.exportBase`), sent only when it changed; the worker keeps it. */
  readonly base?: StoreState;
  readonly recipes: BatchRecipes;
}

/**
 * A timeline result as sent: the 8192-bit coverage map as the list of its set bits (a timeline
 * rarely discovers anything, and cloning objects is what costs in a message).
 */
export type WireResult = Omit<TimelineResult, 'outcome'> & {
  readonly outcome: Omit<TimelineResult['outcome'], 'coverage'> & { readonly coverage: number[] };
};

/** Worker to main thread. */
export type WorkerReply =
  | { readonly kind: 'ready' }
  | {
      readonly kind: 'results';
      readonly results: readonly { readonly index: number; readonly result: WireResult }[];
      /** The summed counts of those timelines. */
      readonly sum: StoreDelta;
    }
  | { readonly kind: 'error'; readonly message: string };

/** Splits off the shared prefix when every recipe is the same prefix plus at most one step. */
export function toBatchRecipes(recipes: readonly Recipe[]): BatchRecipes {
  const first = recipes[0] ?? [];
  const prefix = first.slice(0, -1);
  const shared = recipes.every(
    (r) => r.length === first.length && prefix.every((step, k) => r[k] === step || sameStep(r[k], step)),
  );
  if (shared && first.length > 0) return { prefix, lasts: recipes.map((r) => r[r.length - 1] ?? null) };
  if (recipes.every((r) => r.length === 0)) return { prefix: [], lasts: recipes.map(() => null) };
  throw new RangeError('a batch must be children of one splitpoint (one shared prefix)');
}

export function recipeAt(batch: BatchRecipes, index: number): Recipe {
  const last = batch.lasts[index];
  return last === null || last === undefined ? batch.prefix : [...batch.prefix, last];
}

function sameStep(a: RecipeStep | undefined, b: RecipeStep): boolean {
  return a !== undefined && a.count === b.count && a.seed === b.seed;
}

export function toWire(result: TimelineResult): WireResult {
  const words = result.outcome.coverage;
  const bits: number[] = [];
  for (let w = 0; w < words.length; w++) {
    for (let word = words[w] as number; word !== 0; word &= word - 1) {
      bits.push(w * 32 + (31 - Math.clz32(word & -word)));
    }
  }
  return { ...result, outcome: { ...result.outcome, coverage: bits } };
}

export function fromWire(wire: WireResult, coverageWords: number): TimelineResult {
  const words = new Uint32Array(coverageWords);
  for (const bit of wire.outcome.coverage) words[bit >>> 5] = (words[bit >>> 5] as number) | (1 << (bit & 31));
  return { ...wire, outcome: { ...wire.outcome, coverage: words } };
}
