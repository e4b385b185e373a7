import {
  AssertionStore,
  type Discovery,
  type Recipe,
  type Splitpoint,
  type StoreDelta,
  type StoreState,
  type TimelineOutcome,
} from '@moonpool/explorer';
import { BuggifyState } from '../chaos/buggify.js';
import type { IterationRun } from '../report/simulation-report.js';
import { type RunShared, runIteration } from './iteration.js';
import type { SimulationPlan } from './plan.js';

/** A timeline as one thread ran it: what the explorer needs, and what the main thread merges. */
export interface TimelineResult {
  /** Its splitpoints are all of its discoveries; the merge keeps those still new (see `mergeTimeline`). */
  outcome: TimelineOutcome;
  /** What it changed in the assertion state, and its discoveries in order (one per splitpoint). */
  delta: StoreDelta;
  discoveries: Discovery[];
}

/**
 * Runs exploration timelines on a store of its own, loaded with the batch-start state before each
 * one: every timeline of a batch is judged against the same state, whichever thread runs it and in
 * whatever order, so the multiverse does not depend on the parallelism.
 */
export class TimelineRunner {
  private readonly shared;

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
  ): Promise<{ result: TimelineResult; run: IterationRun }> {
    const store = this.shared.assertions;
    store.importState(base);
    const { run, outcome } = await runTimeline(this.plan, rootSeed, this.shared, recipe);
    return { run, result: { outcome, delta: store.exportDelta(), discoveries: store.timelineDiscoveries() } };
  }
}

/** Runs one timeline by replay and reduces it to what the explorer needs. */
export async function runTimeline(
  plan: SimulationPlan,
  rootSeed: bigint,
  shared: RunShared,
  recipe: Recipe,
): Promise<{ run: IterationRun; outcome: TimelineOutcome }> {
  const splitpoints: Splitpoint[] = [];
  const run = await runIteration(plan, rootSeed, shared, {
    recipe,
    onSplitpoint: (mark, count, seed) => splitpoints.push({ mark, count, seed }),
  });
  const outcome: TimelineOutcome = {
    bug: !run.ok,
    coverage: shared.assertions.coverageBits(),
    splitpoints,
    draws: run.draws ?? 0,
    ownDraws: run.ownDraws ?? 0,
    traceHash: run.traceHash,
  };
  return { run, outcome };
}
