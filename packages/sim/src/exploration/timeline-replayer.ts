import {
  AssertionStore,
  DeltaSum,
  type Recipe,
  type Splitpoint,
  type StoreDelta,
  type StoreState,
  type TimelineNews,
  type TimelineOutcome,
} from '@moonpool/explorer';
import { BuggifyState } from '../chaos/buggify.js';
import type { IterationRun } from '../report/simulation-report.js';
import { describeFailure } from '../kernel/failure.js';
import { executeIteration, type IterationEnd, iterationRun, type RunShared } from '../engine/iteration.js';
import type { SimulationPlan } from '../engine/plan.js';

/** A timeline as one thread ran it: what the explorer needs, and what the main thread merges in order. */
export interface TimelineResult {
  /** Its splitpoints are all of its discoveries; the merge keeps those still new (see `mergeBatch`). */
  outcome: TimelineOutcome;
  /** What it created and discovered (one discovery per splitpoint), in order. */
  news: TimelineNews;
}

/**
 * Runs exploration timelines on a store of its own, loaded with the batch-start state before each
 * one: every timeline of a batch is judged against the same state, whichever thread runs it and in
 * whatever order, so the multiverse does not depend on the parallelism.
 */
export class TimelineReplayer {
  private readonly shared;
  /** The counts of the timelines run since the last `takeSum`. */
  private readonly sum = new DeltaSum();
  /** The start state the store holds (restored after every timeline); null: none or unknown. */
  private loaded: StoreState | null = null;

  constructor(
    private readonly plan: SimulationPlan,
    traceLog: ((line: string) => void) | null = null,
  ) {
    this.shared = { assertions: new AssertionStore(), buggify: new BuggifyState(), traceLog };
  }

  async run(
    rootSeed: bigint,
    base: StoreState,
    recipe: Recipe,
  ): Promise<{ result: TimelineResult; run: IterationRun | null }> {
    const store = this.shared.assertions;
    // A new start state is loaded whole; otherwise the store already holds it (restored below).
    // Bases are compared by identity: the ledger hands out the same object until it changes.
    if (this.loaded !== base) store.importState(base);
    this.loaded = null;
    // Only the root timeline is reported as an iteration: a child is reduced to its outcome.
    const { run, outcome } =
      recipe.length === 0
        ? await runTimeline(this.plan, rootSeed, this.shared, recipe)
        : { run: null, outcome: await childOutcome(this.plan, rootSeed, this.shared, recipe) };
    store.addDeltaTo(this.sum);
    const news = store.timelineNews();
    store.restoreLoaded();
    this.loaded = base;
    return { run, result: { outcome, news } };
  }

  /** The summed counts of the timelines run since the last call. */
  takeSum(): StoreDelta {
    return this.sum.take();
  }
}

/**
 * Runs one timeline by replay and reduces it to what the explorer needs. `requireAllSteps` (a recipe
 * given by a user) makes a step the timeline never reaches a `RecipeNotReachedError`.
 */
export async function runTimeline(
  plan: SimulationPlan,
  rootSeed: bigint,
  shared: RunShared,
  recipe: Recipe,
  requireAllSteps = false,
): Promise<{ run: IterationRun; outcome: TimelineOutcome }> {
  const { end, splitpoints } = await executeTimeline(plan, rootSeed, shared, recipe, requireAllSteps);
  const run = iterationRun(end);
  return { run, outcome: outcomeOf(end, splitpoints, shared, run.traceHash) };
}

/** Runs a child timeline by replay: its outcome only (its trace hash as text only when it failed). */
async function childOutcome(
  plan: SimulationPlan,
  rootSeed: bigint,
  shared: RunShared,
  recipe: Recipe,
): Promise<TimelineOutcome> {
  const { end, splitpoints } = await executeTimeline(plan, rootSeed, shared, recipe, false);
  return outcomeOf(end, splitpoints, shared, end.failure === null ? undefined : end.world.trace.hex());
}

async function executeTimeline(
  plan: SimulationPlan,
  rootSeed: bigint,
  shared: RunShared,
  recipe: Recipe,
  requireAllSteps: boolean,
): Promise<{ end: IterationEnd; splitpoints: Splitpoint[] }> {
  const splitpoints: Splitpoint[] = [];
  const end = await executeIteration(plan, rootSeed, shared, {
    recipe,
    onSplitpoint: (mark, count, seed) => splitpoints.push({ mark, count, seed }),
    requireAllSteps,
  });
  return { end, splitpoints };
}

function outcomeOf(
  { failure, world }: IterationEnd,
  splitpoints: Splitpoint[],
  shared: RunShared,
  traceHash: string | undefined,
): TimelineOutcome {
  return {
    bug: failure !== null,
    ...(failure === null ? {} : { failure: { kind: failure.kind, message: describeFailure(failure) } }),
    coverage: shared.assertions.coverageBitList(),
    splitpoints,
    draws: world.rng.totalCalls,
    ownDraws: world.rng.calls,
    ...(traceHash === undefined ? {} : { traceHash }),
  };
}
