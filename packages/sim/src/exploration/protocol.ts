import type { BaseChange, Recipe, RecipeStep, StoreDelta, TimelineNews, TimelineOutcome } from '@moonpool/explorer';
import type { FunctionCoverage } from '../coverage/function-coverage.js';
import type { ModuleSelection } from '../coverage/module-filter.js';
import type { MachineStart } from './machine-start.js';
import type { TimelineResult } from './timeline-replayer.js';

/** Where a worker thread finds the simulation: a module and one of its exports (see `setWorkerModule`). */
export interface WorkerSource {
  readonly moduleUrl: string;
  readonly exportName: string;
}

/** What a worker starts with: the simulation, and the counters its batches' timelines are taken from. */
export interface WorkerInit {
  readonly source: WorkerSource;
  /**
   * `2 * COUNTER_SLOTS` Int32s: first, for each slot, the index of the next timeline of its batch to
   * take (`Atomics.add`); then how many workers have sent that batch's results.
   */
  readonly next: SharedArrayBuffer;
  /** The worker's progress cell, when a watchdog watches the run (see `ProgressCell`). */
  readonly progress?: SharedArrayBuffer;
  /** Collect code coverage of these modules (started before the simulation is imported). */
  readonly codeCoverage?: ModuleSelection;
}

/**
 * The timelines of a batch: each is `prefix` followed by one of `lasts` (children of one splitpoint
 * share their parent's recipe), so deep recipes are not copied once per child.
 */
export interface BatchRecipes {
  readonly prefix: Recipe;
  readonly lasts: readonly (RecipeStep | null)[];
}

/**
 * Counters of batches in flight at once (each batch has its own): more than the most there can be,
 * the one the main thread waits for, the two sent ahead and two cancelled that a worker has not
 * finished (see `ExplorationPool`).
 */
export const COUNTER_SLOTS = 8;

/**
 * Main thread to worker: take timelines of this batch (from counter `slot`) until none is left, then
 * send the results. A worker runs its batches in the order they were sent. What did not change since
 * the previous batch sent to the same worker is left out (most batches share their prefix and start).
 */
export interface RunBatch {
  readonly slot: number;
  readonly rootSeed: bigint;
  /** How the start state (the ledger's base) changed since the last batch sent; absent: it did not. */
  readonly base?: BaseChange;
  /** The recipes' last steps (see `BatchRecipes`). */
  readonly lasts: BatchRecipes['lasts'];
  /** The recipes' shared prefix; absent: the previous batch's. */
  readonly prefix?: Recipe;
  /**
   * Where the batch's children start (a state machine's snapshot), or null: by replay from time zero;
   * absent: where the previous batch's started.
   */
  readonly start?: MachineStart | null;
}

/**
 * A worker's results for one batch, packed: cloning objects is what a message costs (about 1 µs each
 * here), and most timelines have only their index and draw counts to report. The rest (a bug, coverage
 * bits, splitpoints, news) comes only for the timelines that have some.
 */
export interface PackedResults {
  readonly indices: number[];
  readonly draws: number[];
  readonly ownDraws: number[];
  readonly rare: {
    /** Position in the arrays above. */
    readonly at: number;
    readonly bug: boolean;
    readonly traceHash?: string;
    readonly failure?: TimelineOutcome['failure'];
    /** Set bits of the 8192-bit coverage map. */
    readonly coverage: readonly number[];
    readonly splitpoints: TimelineOutcome['splitpoints'];
    readonly news: TimelineNews;
  }[];
}

/** Worker to main thread. */
export type WorkerReply =
  | { readonly kind: 'ready' }
  | {
      readonly kind: 'results';
      readonly results: PackedResults;
      /** The summed counts of those timelines. */
      readonly sum: StoreDelta;
      /** With code coverage: what the system under test ran in the batch that this worker had not reported. */
      readonly code?: FunctionCoverage[];
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

export function packResults(entries: readonly { index: number; result: TimelineResult }[]): PackedResults {
  const packed: PackedResults = { indices: [], draws: [], ownDraws: [], rare: [] };
  entries.forEach(({ index, result: { outcome, news } }, at) => {
    packed.indices.push(index);
    packed.draws.push(outcome.draws);
    packed.ownDraws.push(outcome.ownDraws);
    const coverage = outcome.coverage;
    const plain =
      !outcome.bug && coverage.length === 0 && outcome.splitpoints.length === 0 &&
      news.created.length === 0 && news.discoveries.length === 0 && news.warnings.length === 0;
    if (plain) return;
    const { bug, splitpoints, traceHash, failure } = outcome;
    packed.rare.push({
      at,
      bug,
      coverage,
      splitpoints,
      news,
      ...(traceHash === undefined ? {} : { traceHash }),
      ...(failure === undefined ? {} : { failure }),
    });
  });
  return packed;
}

/** Puts each packed result at its index in `results`. */
export function unpackResults(packed: PackedResults, results: (TimelineResult | undefined)[]): void {
  const none: TimelineNews = { created: [], discoveries: [], warnings: [] };
  packed.indices.forEach((index, at) => {
    results[index] = {
      outcome: {
        bug: false,
        coverage: NO_BITS,
        splitpoints: [],
        draws: packed.draws[at] as number,
        ownDraws: packed.ownDraws[at] as number,
      },
      news: none,
    };
  });
  for (const r of packed.rare) {
    const index = packed.indices[r.at] as number;
    const { draws, ownDraws } = (results[index] as TimelineResult).outcome;
    const outcome = {
      bug: r.bug,
      coverage: r.coverage,
      splitpoints: r.splitpoints,
      draws,
      ownDraws,
      ...(r.traceHash === undefined ? {} : { traceHash: r.traceHash }),
      ...(r.failure === undefined ? {} : { failure: r.failure }),
    };
    results[index] = { outcome, news: r.news };
  }
}

const NO_BITS: readonly number[] = [];
