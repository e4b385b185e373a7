import type { Recipe } from '@moonpool/explorer';
import type { RunShared } from '../engine/iteration.js';
import type { SimulationPlan } from '../engine/plan.js';
import { activeWorld } from '../kernel/active-world.js';
import type { SimRng } from '../kernel/rng.js';
import { type MachineDirector, setMachineDirector } from '../state-machine/machine-director.js';
import { type Snapshotting, snapshotOf } from '../state-machine/machine.js';
import type { MachineStart } from './machine-start.js';
import { runTimeline } from './timeline-replayer.js';

/** Boundaries at most this many draws before the split are always snapshotted (more after long steps). */
const MIN_WINDOW = 32;

/** Ends the prefix pass at the boundary after the split: nothing after it is needed. */
class PrefixCaptured extends Error {}

/** A step boundary: the machine run of the iteration and the steps it had taken. */
interface Boundary {
  readonly run: number;
  readonly steps: number;
}

/**
 * Plugged into a prefix pass: replays the parent up to the step in which the children would reseed
 * (`crossAt`: the generator's total draws when they do) and keeps a snapshot of the last step boundary
 * before it. Not every boundary is snapshotted (a snapshot costs more than a step): only those within a
 * window of draws before the split, four times the most draws one step has made so far, or only the
 * `exact` boundary when it is known (a second pass, after a step longer than the window).
 */
class CaptureDirector implements MachineDirector {
  /** The snapshot the children start from; null: none. */
  found: MachineStart | null = null;
  /** The boundary before the step in which the split lies; null: the split is outside every machine run. */
  splitStep: Boundary | null = null;
  private runs = 0;
  private run = -1;
  private beganAt = 0;
  private latest: MachineStart | null = null;
  private lastDraws = 0;
  private lastSteps = 0;
  private longestStep = 0;
  /** The pass has what it needs: whatever still runs (a workload that caught the stop) is ignored. */
  private done = false;

  constructor(
    readonly crossAt: number,
    private readonly exact: Boundary | null,
  ) {}

  begin(): null {
    const rng = generator();
    this.run = this.runs++;
    // The split came before this run began, outside it: children skip the runs before it.
    if (rng.totalCalls > this.crossAt) {
      if (!this.done) this.found = this.latest;
      this.stop();
    }
    this.beganAt = rng.totalCalls;
    this.lastDraws = rng.totalCalls;
    this.latest = null;
    return null;
  }

  boundary(machine: Snapshotting<unknown>, state: unknown, steps: number): void {
    if (this.done) this.stop();
    const rng = generator();
    const draws = rng.totalCalls;
    this.longestStep = Math.max(this.longestStep, draws - this.lastDraws);
    this.lastDraws = draws;
    if (draws > this.crossAt) this.capture();
    this.lastSteps = steps;
    const wanted =
      this.exact === null
        ? this.crossAt - draws <= Math.max(MIN_WINDOW, 4 * this.longestStep)
        : this.exact.run === this.run && this.exact.steps === steps;
    if (wanted) {
      this.latest = this.snapshot(machine, state, steps, false);
    }
  }

  end(machine: Snapshotting<unknown>, state: unknown, steps: number): void {
    if (this.done) return;
    if (generator().totalCalls > this.crossAt) this.capture();
    // The split comes after this run, in code outside it (or in a later run): children may still skip
    // the whole run (one snapshot per run: cheap).
    this.latest = this.exact === null ? this.snapshot(machine, state, steps, true) : null;
    this.lastSteps = steps;
  }

  /** After the pass: a split outside every machine run still starts from the end of the last run before it. */
  splitAfterRuns(): void {
    if (!this.done) this.found = this.latest;
  }

  private snapshot(machine: Snapshotting<unknown>, state: unknown, steps: number, finished: boolean): MachineStart {
    const rng = generator().position();
    return { run: this.run, beganAt: this.beganAt, steps, finished, state: snapshotOf(machine, state), rng };
  }

  /** The split lies in the step begun at the last boundary. */
  private capture(): never {
    this.found = this.latest;
    this.splitStep = { run: this.run, steps: this.lastSteps };
    this.stop();
  }

  private stop(): never {
    this.done = true;
    throw new PrefixCaptured();
  }
}

function generator(): SimRng {
  const world = activeWorld();
  if (world === null) throw new Error('internal: a state machine ran outside a simulation');
  return world.rng;
}

/**
 * Replays `prefix` from time zero (recording nothing) up to the step of a state machine in which its
 * children reseed after `count` more draws, and returns a snapshot of a boundary before that split
 * (the one just before it, unless a step was longer than the window; null when the split is not inside
 * a machine run) and the draws the passes executed. `shared` is the passes' own state (what they record
 * after the split is thrown away).
 */
export async function capturePrefix(
  plan: SimulationPlan,
  shared: RunShared,
  rootSeed: bigint,
  prefix: Recipe,
  count: number,
): Promise<{ start: MachineStart | null; draws: number }> {
  const first = await pass(plan, shared, rootSeed, prefix, count, null);
  const split = first.director.splitStep;
  if (split === null || first.director.found?.steps === split.steps) {
    return { start: first.director.found, draws: first.draws };
  }
  // A step longer than the window hid the boundary just before the split: fetch exactly that one.
  const second = await pass(plan, shared, rootSeed, prefix, count, split);
  return { start: second.director.found ?? first.director.found, draws: first.draws + second.draws };
}

async function pass(
  plan: SimulationPlan,
  shared: RunShared,
  rootSeed: bigint,
  prefix: Recipe,
  count: number,
  exact: Boundary | null,
): Promise<{ director: CaptureDirector; draws: number }> {
  const director = new CaptureDirector(prefix.reduce((n, step) => n + step.count, count), exact);
  setMachineDirector(director);
  try {
    // A last step at the split keeps the store suppressed up to it; its seed never matters.
    const { run } = await runTimeline(plan, rootSeed, shared, [...prefix, { count, seed: 0n }]);
    if ((run.draws ?? 0) > director.crossAt) director.splitAfterRuns();
    return { director, draws: run.draws ?? 0 };
  } finally {
    setMachineDirector(null);
  }
}
