import { isDeepStrictEqual } from 'node:util';
import { SimulationError } from '@moonpool/core';
import { AssertionStore, formatBugRecipe, formatRecipe, type Recipe, type StoreState } from '@moonpool/explorer';
import { BuggifyState } from '../chaos/buggify.js';
import type { RunShared } from '../engine/iteration.js';
import type { SimulationPlan } from '../engine/plan.js';
import { type MachineStart, startedAt } from './machine-start.js';
import { capturePrefix } from './prefix-capture.js';
import { runTimeline, type TimelineResult } from './timeline-replayer.js';

/** Where the children of a batch start, and the draws it cost to find out (counted once, on child 0). */
export interface BatchStart {
  readonly start: MachineStart | null;
  readonly draws: number;
}

const FROM_ZERO: BatchStart = { start: null, draws: 0 };

/**
 * Decides, batch by batch, whether children start from a snapshot: only in a simulation whose root
 * timeline ran a state machine (`runStateMachine`), and only when the split lies inside a machine run.
 * The prefix is replayed once per splitpoint (on the main thread, so the work done and the multiverse
 * do not depend on the parallelism) and its snapshot serves every batch of that splitpoint.
 */
export class SnapshotStarts {
  private machines = false;
  private last: { key: string; start: MachineStart | null } | null = null;
  /** The prefix passes' own state: what they record is thrown away. */
  private readonly shared: RunShared = {
    assertions: new AssertionStore(),
    buggify: new BuggifyState(),
    traceLog: null,
  };

  constructor(private readonly plan: SimulationPlan) {}

  /** After a root timeline: whether it ran a state machine decides for its seed's children. */
  noteRoot(machineRuns: number): void {
    this.machines = machineRuns > 0;
    this.last = null;
  }

  async forBatch(rootSeed: bigint, recipes: readonly Recipe[]): Promise<BatchStart> {
    const first = recipes[0];
    const split = first?.[first.length - 1];
    if (!this.machines || first === undefined || split === undefined) return FROM_ZERO;
    const prefix = first.slice(0, -1);
    const key = `${rootSeed}:${formatRecipe(prefix)}@${split.count}`;
    if (this.last?.key === key) return { start: this.last.start, draws: 0 };
    const { start, draws } = await capturePrefix(this.plan, this.shared, rootSeed, prefix, split.count);
    this.last = { key, start };
    return { start, draws };
  }
}

/**
 * The determinism check of snapshot starts: runs a snapshot-started child again from the snapshot and
 * from time zero, each on a store loaded with the batch-start state, and fails the run when anything
 * they report differs (trace hash, bug and failure, coverage, splitpoints, own draws, news); the draws
 * executed aside, which is what a snapshot saves. The child as the batch ran it must agree too.
 */
export class SnapshotCheck {
  constructor(private readonly plan: SimulationPlan) {}

  async verify(
    rootSeed: bigint,
    base: StoreState,
    recipe: Recipe,
    start: MachineStart,
    ran: TimelineResult,
  ): Promise<void> {
    const fromZero = await this.child(rootSeed, base, recipe, null);
    const fromSnapshot = await this.child(rootSeed, base, recipe, start);
    const differs = differences(fromSnapshot, fromZero);
    // The batch's own run may leave out a passing child's trace hash (it is not needed there).
    const batch = differences(ran, fromZero).filter((k) => k !== 'traceHash' || ran.outcome.traceHash !== undefined);
    if (differs.length === 0 && batch.length === 0) return;
    const fields = [...new Set([...differs, ...batch])].join(', ');
    throw new SimulationError(
      `a child started from a snapshot differs from its replay from time zero (${fields}): ` +
        `recipe ${formatBugRecipe({ rootSeed, recipe })}; trace hash from the snapshot ` +
        `${fromSnapshot.outcome.traceHash}, from time zero ${fromZero.outcome.traceHash}. The state machine's ` +
        'snapshot must capture its whole state, and its steps must depend on nothing but that state and the draws',
    );
  }

  private async child(
    rootSeed: bigint,
    base: StoreState,
    recipe: Recipe,
    start: MachineStart | null,
  ): Promise<TimelineResult> {
    const shared: RunShared = { assertions: new AssertionStore(), buggify: new BuggifyState(), traceLog: null };
    shared.assertions.importState(base);
    const timeline = (): ReturnType<typeof runTimeline> => runTimeline(this.plan, rootSeed, shared, recipe);
    const { value } = await startedAt(start, recipe, shared.assertions, timeline);
    return { outcome: value.outcome, news: shared.assertions.timelineNews() };
  }
}

/** The names of the fields of two children's results that differ (the draws executed aside). */
function differences(a: TimelineResult, b: TimelineResult): string[] {
  const { draws: _a, ...left } = a.outcome;
  const { draws: _b, ...right } = b.outcome;
  const keys = new Set([...Object.keys(left), ...Object.keys(right)]) as Set<keyof typeof left>;
  const out: string[] = [...keys].filter((k) => !isDeepStrictEqual(left[k], right[k]));
  if (!isDeepStrictEqual(a.news, b.news)) out.push('news');
  return out;
}
