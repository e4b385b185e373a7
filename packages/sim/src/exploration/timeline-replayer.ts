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
import { type RunShared, runIteration } from '../engine/iteration.js';
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

  constructor(
    private readonly plan: SimulationPlan,
    traceLog: ((line: string) => void) | null = null,
  ) {
    this.shared = { assertions: new AssertionStore(), buggify: new BuggifyState(), traceLog };
  }

  /** The store its timelines record into (a snapshot start arms the recipe's last steps on it). */
  get assertions(): AssertionStore {
    return this.shared.assertions;
  }

  async run(
    rootSeed: bigint,
    base: StoreState,
    recipe: Recipe,
  ): Promise<{ result: TimelineResult; run: IterationRun }> {
    const store = this.shared.assertions;
    store.importState(base);
    const { run, outcome } = await runTimeline(this.plan, rootSeed, this.shared, recipe);
    this.sum.add(store.exportDelta());
    return { run, result: { outcome, news: store.timelineNews() } };
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
  const splitpoints: Splitpoint[] = [];
  const run = await runIteration(plan, rootSeed, shared, {
    recipe,
    onSplitpoint: (mark, count, seed) => splitpoints.push({ mark, count, seed }),
    requireAllSteps,
  });
  const outcome: TimelineOutcome = {
    bug: !run.ok,
    ...(run.failure === undefined ? {} : { failure: { kind: run.failure.kind, message: run.error ?? '' } }),
    coverage: shared.assertions.coverageBits(),
    splitpoints,
    draws: run.draws ?? 0,
    ownDraws: run.ownDraws ?? 0,
    traceHash: run.traceHash,
  };
  return { run, outcome };
}
