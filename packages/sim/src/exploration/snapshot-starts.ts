import { isDeepStrictEqual } from 'node:util';
import { SimulationError } from '@moonpool/core';
import { AssertionStore, formatBugRecipe, formatRecipe, type Recipe, type StoreState } from '@moonpool/explorer';
import { BuggifyState } from '../chaos/buggify.js';
import type { RunShared } from '../engine/iteration.js';
import type { SimulationPlan } from '../engine/plan.js';
import type { MachineStart } from './machine-start.js';
import { capturePrefix } from './prefix-capture.js';
import { TimelineReplayer, type TimelineResult } from './timeline-replayer.js';

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
 * The determinism check of snapshot starts: replays a snapshot-started child from time zero and fails
 * the run when anything it reports differs (the draws executed aside, which is what a snapshot saves).
 */
export class SnapshotCheck {
  private readonly replayer: TimelineReplayer;
  checked = 0;

  constructor(plan: SimulationPlan) {
    this.replayer = new TimelineReplayer(plan);
  }

  async verify(rootSeed: bigint, base: StoreState, recipe: Recipe, started: TimelineResult): Promise<void> {
    const { result } = await this.replayer.run(rootSeed, base, recipe);
    this.replayer.takeSum();
    this.checked++;
    const { draws: _a, ...fromSnapshot } = started.outcome;
    const { draws: _b, ...fromZero } = result.outcome;
    if (isDeepStrictEqual(fromSnapshot, fromZero) && isDeepStrictEqual(started.news, result.news)) return;
    const differs = Object.keys(fromZero).filter(
      (k) => !isDeepStrictEqual(fromSnapshot[k as keyof typeof fromSnapshot], fromZero[k as keyof typeof fromZero]),
    );
    if (!isDeepStrictEqual(started.news, result.news)) differs.push('news');
    throw new SimulationError(
      `a child started from a snapshot differs from its replay from time zero (${differs.join(', ')}): ` +
        `recipe ${formatBugRecipe({ rootSeed, recipe })}; snapshot trace hash ${fromSnapshot.traceHash}, ` +
        `replay ${fromZero.traceHash}. The state machine's snapshot/restore must capture its whole state, ` +
        'and its steps must depend on nothing but that state and the draws',
    );
  }
}
