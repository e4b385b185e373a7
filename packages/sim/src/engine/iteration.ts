import { installInstrumentation, uninstallInstrumentation } from '@moonpool/core';
import { type AssertionStore, formatBugRecipe } from '@moonpool/explorer';
import type { BuggifyState } from '../chaos/buggify.js';
import { enterWorld, exitWorld } from '../kernel/active-world.js';
import { enterHermetic } from '../hermetic/hermetic.js';
import { realPerformanceNow } from '../hermetic/sim-clock.js';
import { useSimulatedNet } from '../hermetic/simulated-net.js';
import { EventKind } from '../kernel/event-kind.js';
import type { EventRecord } from '../kernel/event-record.js';
import { Executor } from '../kernel/executor.js';
import { describeFailure, type IterationFailure } from '../kernel/failure.js';
import { watchedProgress } from '../kernel/progress-cell.js';
import { SimWorld } from '../kernel/world.js';
import type { IterationRun } from '../report/simulation-report.js';
import { Cluster } from './cluster.js';
import { simulationInstrumentation } from './instrumentation.js';
import { clusterNet } from './node-net.js';
import { checkInvariants, runPhases } from './phases.js';
import type { SimulationPlan } from './plan.js';
import { followRecipe, type TimelineReplay } from './recipe-replay.js';
import type { ExecutionTracer } from '../trace/execution-tracer.js';

/** State shared by all iterations of one run. */
export interface RunShared {
  assertions: AssertionStore;
  buggify: BuggifyState;
  traceLog: ((line: string) => void) | null;
  /** Records every event of the next iteration (the determinism check's diagnosis). */
  recorder?: EventRecord;
  /** Traces the next iteration (then cleared: a trace holds one execution). */
  tracer?: ExecutionTracer | undefined;
}

/**
 * How an iteration ended: what its report entry (`iterationRun`) or an explored timeline's outcome is
 * made from. A child timeline needs no report entry, nor its trace hash as text unless it failed.
 */
export interface IterationEnd {
  readonly seed: bigint;
  readonly world: SimWorld;
  readonly failure: IterationFailure | null;
  readonly alwaysViolations: string[];
  readonly wallMs: number;
}

/** Runs one iteration of `plan` with `seed` (optionally a replayed timeline) and reports how it went. */
export async function runIteration(
  plan: SimulationPlan,
  seed: bigint,
  shared: RunShared,
  replay?: TimelineReplay,
): Promise<IterationRun> {
  return iterationRun(await executeIteration(plan, seed, shared, replay));
}

/** Runs one iteration of `plan` with `seed` (optionally a replayed timeline); see `IterationEnd`. */
export async function executeIteration(
  plan: SimulationPlan,
  seed: bigint,
  shared: RunShared,
  replay?: TimelineReplay,
): Promise<IterationEnd> {
  const started = realPerformanceNow();
  const world = new SimWorld(seed, plan.limits, shared.traceLog);
  const rng = world.rng;
  const recorder = shared.recorder;
  if (recorder !== undefined) world.onEvent = (ev) => recorder.push(ev, world);
  const tracer = shared.tracer;
  shared.tracer = undefined;
  tracer?.attach(world);
  const recording = tracer === undefined ? shared.assertions : tracer.recorder(shared.assertions);
  const instrumentation = simulationInstrumentation(recording, shared.buggify, rng);
  shared.assertions.beginIteration();
  shared.buggify.beginIteration();
  const checkRecipe = replay ? followRecipe(world, shared.assertions, replay) : null;
  const progress = watchedProgress();
  progress?.beginTimeline(plan.name, seed, replay?.recipe ?? NO_STEPS);
  enterWorld(world);
  installInstrumentation(instrumentation);
  let exitHermetic: (() => void) | null = null;
  let failure: IterationFailure | null;
  try {
    if (plan.hermetic) exitHermetic = enterHermetic(world);
    failure = await runInWorld(plan, world, shared);
    checkRecipe?.();
  } catch (err) {
    tracer?.abandon(err);
    throw err;
  } finally {
    exitHermetic?.();
    progress?.endIteration();
    uninstallInstrumentation(instrumentation);
    exitWorld(world);
    shared.assertions.suppressed = false;
    shared.assertions.onDiscovery = null;
    rng.setBreakpoint(-1, null);
  }
  // The hash also covers work done between events (RNG draws after the last event) and, through the
  // generator's final state, the seed: iterations without events still differ.
  world.trace.addEnd(world.now, EventKind.IterationEnd, rng);
  const alwaysViolations = shared.assertions.iterationAlwaysViolations();
  if (failure === null && alwaysViolations.length > 0) {
    failure = { kind: 'always-violation', violations: alwaysViolations };
  }
  tracer?.finish(traceIdentity(plan.name, seed, replay), failure, world.trace.hex());
  return { seed, world, failure, alwaysViolations, wallMs: realPerformanceNow() - started };
}

/** The report entry of an iteration. */
export function iterationRun({ seed, world, failure, alwaysViolations, wallMs }: IterationEnd): IterationRun {
  const run: IterationRun = {
    seed,
    ok: failure === null,
    traceHash: world.trace.hex(),
    events: world.eventsProcessed,
    simTimeMs: world.nowMs(),
    wallMs,
    alwaysViolations,
    draws: world.rng.totalCalls,
    ownDraws: world.rng.calls,
  };
  if (failure !== null) {
    run.failure = failure;
    run.error = describeFailure(failure);
  }
  return run;
}

/** Builds the cluster and runs its phases on the executor; resolves with the failure, or null. */
async function runInWorld(plan: SimulationPlan, world: SimWorld, shared: RunShared): Promise<IterationFailure | null> {
  const executor = new Executor(world);
  const cluster = new Cluster(plan, world, shared.buggify);
  if (plan.hermetic) useSimulatedNet(clusterNet(cluster));
  if (plan.invariants.length > 0) executor.afterEvent = () => checkInvariants(cluster, plan);
  const outcome = await executor.run(runPhases(cluster, plan, executor));
  for (const machine of world.machines) machine.kill();
  return outcome.failure;
}

/** The recipe of a plain iteration (a root timeline). */
const NO_STEPS: readonly [] = [];

/** What a trace file names as its execution: the simulation, the seed and the recipe if replayed. */
function traceIdentity(name: string, seed: bigint, replay: TimelineReplay | undefined): Record<string, string> {
  const identity: Record<string, string> = { simulation: name, seed: String(seed) };
  if (replay !== undefined && replay.recipe.length > 0) {
    identity.recipe = formatBugRecipe({ rootSeed: seed, recipe: [...replay.recipe] });
  }
  return identity;
}
