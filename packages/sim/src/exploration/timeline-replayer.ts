import {
  AssertionStore,
  type BaseChange,
  DeltaSum,
  type Recipe,
  type Splitpoint,
  type StoreDelta,
  type TimelineNews,
  type TimelineOutcome,
} from '@moonpool/explorer';
import { BuggifyState } from '../chaos/buggify.js';
import type { IterationRun } from '../report/simulation-report.js';
import { describeFailure } from '../kernel/failure.js';
import { executeIteration, type IterationEnd, iterationRun, type RunShared } from '../engine/iteration.js';
import type { SimulationPlan } from '../engine/plan.js';
import type { TimelineReplay } from '../engine/recipe-replay.js';
import { type MachineStart, startedAt } from './machine-start.js';

/** A timeline as one thread ran it: what the explorer needs, and what the main thread merges in order. */
export interface TimelineResult {
  /** Its splitpoints are all of its discoveries; the merge keeps those still new (see `mergeBatch`). */
  outcome: TimelineOutcome;
  /** What it created and discovered (one discovery per splitpoint), in order. */
  news: TimelineNews;
}

/**
 * Runs exploration timelines on a store of its own that holds the batch-start state (the ledger's
 * base) for each one: every timeline of a batch is judged against the same state, whichever thread
 * runs it and in whatever order, so the multiverse does not depend on the parallelism. The store is
 * brought up to date only with what changed in the base (`syncWith`, `apply`), and after each
 * timeline it is restored by undoing what the timeline touched.
 */
export class TimelineReplayer {
  private readonly shared;
  /** The counts of the timelines run since the last `takeSum`. */
  private readonly sum = new DeltaSum();
  /** The base version the store holds (restored after every timeline); -1: none, or not known. */
  private version = -1;

  constructor(
    private readonly plan: SimulationPlan,
    traceLog: ((line: string) => void) | null = null,
  ) {
    this.shared = { assertions: new AssertionStore(), buggify: new BuggifyState(), traceLog };
  }

  /** Brings the store to `ledger`'s current base; returns what changed, or null if it had it. */
  syncWith(ledger: AssertionStore): BaseChange | null {
    if (ledger.baseVersion === this.version) return null;
    const change = ledger.exportBaseSince(this.version);
    this.apply(change);
    return change;
  }

  /** Applies a change of the base (a worker receives them from the main thread). */
  apply(change: BaseChange): void {
    this.shared.assertions.applyBase(change);
    this.version = change.version;
  }

  /**
   * Runs a timeline from the base the store holds (see `syncWith`), its state machine resumed from
   * `start` when given; `machineRuns` counts its state-machine runs.
   */
  async run(
    rootSeed: bigint,
    recipe: Recipe,
    start: MachineStart | null = null,
  ): Promise<{ result: TimelineResult; run: IterationRun | null; machineRuns: number }> {
    const timeline = (): ReturnType<TimelineReplayer['replay']> => this.replay(rootSeed, recipe);
    const { value, machineRuns, skipped } = await startedAt(start, recipe, this.shared.assertions, timeline);
    const { run, result } = value;
    if (skipped === 0) return { result, run, machineRuns };
    // Draws count the work done: the prefix the snapshot stood for was not executed.
    const outcome = { ...result.outcome, draws: result.outcome.draws - skipped };
    return { result: { outcome, news: result.news }, run, machineRuns };
  }

  private async replay(
    rootSeed: bigint,
    recipe: Recipe,
  ): Promise<{ result: TimelineResult; run: IterationRun | null }> {
    if (this.version < 0) throw new Error('internal: a timeline ran before its start state was loaded');
    const store = this.shared.assertions;
    const version = this.version;
    // Unknown until the timeline ends normally: one that throws leaves the store as it stopped.
    this.version = -1;
    // Only the root timeline is reported as an iteration: a child is reduced to its outcome.
    const { run, outcome } =
      recipe.length === 0
        ? await runTimeline(this.plan, rootSeed, this.shared, recipe)
        : { run: null, outcome: await childOutcome(this.plan, rootSeed, this.shared, recipe) };
    store.addDeltaTo(this.sum);
    const news = store.timelineNews();
    store.restoreLoaded();
    this.version = version;
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
  const splitpoints: Splitpoint[] = [];
  const end = await executeIteration(plan, rootSeed, shared, replayOf(recipe, splitpoints, requireAllSteps));
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
  const splitpoints: Splitpoint[] = [];
  const end = await executeIteration(plan, rootSeed, shared, replayOf(recipe, splitpoints, false));
  return outcomeOf(end, splitpoints, shared, end.failure === null ? undefined : end.world.trace.hex());
}

/** The replay of `recipe` whose discoveries go to `splitpoints`. */
function replayOf(recipe: Recipe, splitpoints: Splitpoint[], requireAllSteps: boolean): TimelineReplay {
  return {
    recipe,
    onSplitpoint: (mark, count, seed) => splitpoints.push({ mark, count, seed }),
    requireAllSteps,
  };
}

function outcomeOf(
  { failure, world }: IterationEnd,
  splitpoints: Splitpoint[],
  shared: RunShared,
  traceHash: string | undefined,
): TimelineOutcome {
  const coverage = shared.assertions.coverageBitList();
  const draws = world.rng.totalCalls;
  const ownDraws = world.rng.calls;
  // Literals, not conditional spreads: a child's outcome is built for every timeline.
  const outcome: { -readonly [K in keyof TimelineOutcome]: TimelineOutcome[K] } =
    failure === null
      ? { bug: false, coverage, splitpoints, draws, ownDraws }
      : {
          bug: true,
          failure: { kind: failure.kind, message: describeFailure(failure) },
          coverage,
          splitpoints,
          draws,
          ownDraws,
        };
  if (traceHash !== undefined) outcome.traceHash = traceHash;
  return outcome;
}
