import { SimulationError } from '@moonpool/core';
import {
  type AssertionResult,
  AssertionStore,
  type BugRecipe,
  type CatalogueEntry,
  type ExplorationConfig,
  type ExplorationProgress,
  withUnreached,
} from '@moonpool/explorer';
import { catalogueAssertions } from '../assertions/catalogue.js';
import { BuggifyState } from '../chaos/buggify.js';
import { captureDetachedErrors } from '../engine/detached-errors.js';
import { executeIteration, iterationRun, type RunShared, runIteration } from '../engine/iteration.js';
import type { SimulationPlan } from '../engine/plan.js';
import { explore } from '../exploration/explore.js';
import { holdHermetic } from '../hermetic/hermetic.js';
import type { WorkerSource } from '../exploration/protocol.js';
import { runTimeline } from '../exploration/timeline-replayer.js';
import type { ExplorationReport, ExplorationStatus } from '../report/exploration-report.js';
import type { WatchThread } from '../kernel/progress-cell.js';
import type { IndexRange } from '../report/index-range.js';
import { IterationLog } from '../report/iteration-log.js';
import { mergeSeedResults } from '../report/merge-assertions.js';
import { withToJson } from '../report/report-json.js';
import { runFingerprint } from './run-fingerprint.js';
import { type IterationRun, reportOfRuns, type RunIndices, type SimulationReport } from '../report/simulation-report.js';
import { DeterminismChecker, type Execution } from './determinism-check.js';
import { type IndexSelection, IndexSelectionError, resolveSelection } from './index-selection.js';
import type { IterationControl } from './iteration-control.js';
import { nthSeed } from './seeds.js';
import { traceLogFromEnv } from './trace-log.js';
import { startWatchdog } from './watchdog.js';
import type { ExecutionTracer } from '../trace/execution-tracer.js';
import type { TraceOptions } from '../trace/trace-options.js';

/** Everything a run needs: what an iteration is made of and how many, which and how to run them. */
export interface RunSettings {
  readonly plan: SimulationPlan;
  readonly control: IterationControl;
  /** When not empty, exactly these seeds run (the control is ignored). */
  readonly debugSeeds: readonly bigint[];
  readonly baseSeed: bigint;
  readonly exploration: ExplorationConfig | null;
  /** Re-runs one timeline of an exploration instead of anything else. */
  readonly replay: BugRecipe | null;
  readonly workerSource: WorkerSource | null;
  /** Modules whose assertion sites are catalogued before the run (see `catalogueAssertions`). */
  readonly catalogueFrom: readonly string[];
  readonly onIteration: ((run: IterationRun, index: number) => void) | null;
  readonly onProgress: ((status: ExplorationStatus) => void) | null;
  /**
   * Aborting it stops the run at the next iteration (exploration: timeline) boundary; the report holds
   * what ran until then and `interrupted: true`.
   */
  readonly signal: AbortSignal | null;
  /** Wall-clock ms an iteration may process no event before a watchdog ends the process (0: no watchdog). */
  readonly stallTimeoutMs: number;
  /** Run every Nth execution twice and fail at the first divergence; null: no check. */
  readonly determinismCheckEvery: number | null;
  /** Trace the one execution asked for (one debug seed or the replayed recipe); null: no trace. */
  readonly trace?: TraceOptions | null;
  /** Runs only these indices of the fixed count (a shard or a range); null: all of them. */
  readonly selection?: IndexSelection | null;
  /** Keep a bounded map of the explored multiverses in the report (`recordMultiverseMap`). */
  readonly recordMultiverse?: boolean;
}

/** Runs the simulation in one of three modes (replay a recipe, explore, or plain seeds) and reports it. */
export async function runSimulation(settings: RunSettings): Promise<SimulationReport> {
  checkPlan(settings.plan);
  checkTrace(settings);
  const range = selectedRange(settings);
  const shared: RunShared = {
    assertions: new AssertionStore(),
    buggify: new BuggifyState(),
    traceLog: traceLogFromEnv(),
  };
  const releaseDetached = captureDetachedErrors();
  // First: its thread starts on another core while this one catalogues and imports.
  const watchdog = settings.stallTimeoutMs > 0 ? startWatchdog(settings.stallTimeoutMs) : null;
  let releaseHermetic: (() => void) | null = null;
  try {
    const needs = await runNeeds(settings);
    // Held for the whole run: installing once is cheaper than once per iteration.
    releaseHermetic = settings.plan.hermetic ? holdHermetic() : null;
    return await runModes(settings, range, shared, watchdog?.watchThread ?? null, needs);
  } finally {
    // A trace whose execution never ran (the run was stopped first) still ends as valid JSON.
    shared.tracer?.abandon('the run ended before the execution to trace began');
    releaseHermetic?.();
    releaseDetached();
    await watchdog?.stop();
  }
}

/** Runs in the mode the settings ask for and assembles the report. */
async function runModes(
  settings: RunSettings,
  range: IndexRange | null,
  shared: RunShared,
  watchThread: WatchThread | null,
  { catalogue, ExecutionTracer }: RunNeeds,
): Promise<SimulationReport> {
  const { plan } = settings;
  const assertions = shared.assertions;
  const log = new IterationLog();
  const started = performance.now();
  const record = (run: IterationRun): void => {
    log.add(run);
    settings.onIteration?.(run, log.length - 1);
  };
  let exploration: ExplorationReport | undefined;
  let earlierSeeds: AssertionResult[][] = [];
  let earlierWarnings: string[] = [];
  const indices = runIndices(settings, range);
  const stopRequested = (): boolean => settings.signal?.aborted === true;
  let interrupted = false;
  const checker = new DeterminismChecker(settings.determinismCheckEvery);
  // Opened now, so a path that cannot be written fails the run before anything runs.
  if (settings.trace && ExecutionTracer) shared.tracer = new ExecutionTracer(settings.trace);
  if (settings.replay) {
    const { rootSeed, recipe } = settings.replay;
    const replay: Execution = async (state) => (await runTimeline(plan, rootSeed, state, recipe, true)).run;
    if (stopRequested()) interrupted = true;
    else record(await checker.verify(await replay(shared), replay));
  } else if (settings.exploration && !settings.trace) {
    const checked = checker.enabled ? checkedRoots(plan, seeds(settings, range, started), checker, record) : null;
    const options = {
      workerSource: settings.workerSource,
      onRoot: checked?.onRoot ?? record,
      onProgress: progressReporter(settings, range, started),
      stopRequested,
      watchThread,
      checkSnapshotStarts: checker.enabled,
      independentRootSeeds: indices?.independentRootSeeds === true,
      recordMultiverse: settings.recordMultiverse === true,
    };
    const seedList = checked?.seeds ?? seeds(settings, range, started);
    ({ report: exploration, earlierSeeds, earlierWarnings, interrupted } = await explore(
      plan,
      settings.exploration,
      seedList,
      shared,
      options,
    ));
  } else {
    for (const seed of seeds(settings, range, started)) {
      if (stopRequested()) {
        interrupted = true;
        break;
      }
      if (!checker.enabled && settings.onIteration === null) {
        // Nobody sees the iteration's report entry: a passed one goes straight into the log's columns.
        const end = await executeIteration(plan, seed, shared);
        const { world } = end;
        if (end.failure === null) log.addPassed(seed, world.trace, world.eventsProcessed, world.nowMs(), end.wallMs);
        else record(iterationRun(end));
        continue;
      }
      const execute: Execution = (state) => runIteration(plan, seed, state);
      record(await checker.verify(await execute(shared), execute));
      if (checker.diverged) break;
    }
  }
  const results = withUnreached(mergeSeedResults([...earlierSeeds, assertions.results()]), catalogue);
  return withToJson({
    name: plan.name,
    ...reportOfRuns(log.toArray(), results),
    warnings: [...new Set([...earlierWarnings, ...assertions.warnings()])],
    totalWallMs: performance.now() - started,
    ...(exploration ? { exploration } : {}),
    ...(interrupted ? { interrupted: true as const } : {}),
    ...(indices ? { indices: { ...indices, to: indices.from + log.length } } : {}),
  });
}

/** What a run needs besides its iterations: its assertion catalogue, and the tracer if it traces. */
interface RunNeeds {
  readonly catalogue: CatalogueEntry[];
  readonly ExecutionTracer: typeof ExecutionTracer | null;
}

/**
 * Catalogues the assertion sites, and imports the tracer only for a run that traces (start-up of the
 * others). Exploration stays a static import: the worker pool keeps the real timers it finds when it
 * loads, which another run's hermetic stand-ins could be by the time a lazy import ran.
 */
async function runNeeds(settings: RunSettings): Promise<RunNeeds> {
  return {
    catalogue: await catalogueAssertions(settings.catalogueFrom),
    ExecutionTracer: settings.trace ? (await import('../trace/execution-tracer.js')).ExecutionTracer : null,
  };
}

/** The indices the selection picks, or null when there is none; a selection that cannot apply throws. */
function selectedRange(settings: RunSettings): IndexRange | null {
  const selection = settings.selection ?? null;
  if (selection === null) return null;
  const reason =
    settings.replay !== null
      ? 'a replayed recipe is one timeline'
      : settings.debugSeeds.length > 0
        ? 'pinned seeds (setDebugSeeds, --seed) are not indices of the seed sequence'
        : settings.control.kind !== 'FixedCount'
          ? 'a time-limited run has no fixed set of indices: set a number of iterations'
          : settings.exploration?.codeCoverage !== undefined && settings.exploration.codeCoverage !== false
            ? 'code coverage carries from one root seed to the next, so a shard could not explore as the whole run does'
            : null;
  if (reason !== null) throw new IndexSelectionError(`cannot run a shard or range of this run: ${reason}`);
  return resolveSelection(selection, (settings.control as { n: number }).n);
}

/** Where the run sits in its seed sequence, when its iterations are counted (see `RunIndices`). */
function runIndices(settings: RunSettings, range: IndexRange | null): RunIndices | null {
  const { control, debugSeeds, replay, baseSeed, exploration, plan } = settings;
  if (control.kind !== 'FixedCount' || debugSeeds.length > 0 || replay !== null) return null;
  const independentRootSeeds = exploration !== null && range !== null;
  const fingerprint = runFingerprint({ plan, iterations: control.n, baseSeed, exploration, independentRootSeeds });
  const { from, to } = range ?? { from: 0, to: control.n };
  return { total: control.n, from, to, baseSeed, fingerprint, independentRootSeeds };
}

function checkPlan(plan: SimulationPlan): void {
  if (plan.workloadGroups.length === 0) {
    throw new SimulationError('a simulation needs at least one workload: call .workload(...)');
  }
  if (plan.injectors.length > 0 && plan.chaosDurationMs === null) {
    throw new SimulationError(
      'attrition and fault injectors run during the chaos phase: set its length with .chaosDuration(ms)',
    );
  }
}

/** A trace holds one execution: one pinned seed (an exploring simulation's root timeline) or a recipe. */
function checkTrace(settings: RunSettings): void {
  if (!settings.trace || settings.replay !== null || settings.debugSeeds.length === 1) return;
  throw new SimulationError(
    'a trace holds one execution: pin exactly one seed (setDebugSeeds([seed])) or replay a recipe; ' +
      `${settings.debugSeeds.length} seeds are pinned`,
  );
}

function progressReporter(
  settings: RunSettings,
  range: IndexRange | null,
  started: number,
): ((progress: ExplorationProgress) => void) | null {
  const fn = settings.onProgress;
  if (fn === null) return null;
  const { control, debugSeeds } = settings;
  const counted = control.kind === 'FixedCount' ? control.n : null;
  const seedsTotal = debugSeeds.length > 0 ? debugSeeds.length : range !== null ? range.to - range.from : counted;
  return (progress) => fn({ ...progress, seedsTotal, elapsedMs: performance.now() - started });
}

/**
 * Exploration under the determinism check: once a seed's multiverse is explored, its root timeline is
 * run again and compared before it is recorded; a divergence ends the exploration.
 */
function checkedRoots(
  plan: SimulationPlan,
  rootSeeds: Iterable<bigint>,
  checker: DeterminismChecker,
  record: (run: IterationRun) => void,
): { seeds: AsyncIterable<bigint>; onRoot: (run: IterationRun) => void } {
  let root: IterationRun | null = null;
  async function* checkedSeeds(): AsyncGenerator<bigint> {
    for (const seed of rootSeeds) {
      yield seed;
      // Asked for the next seed: this one is explored and its root timeline reported.
      if (root === null) continue;
      const rootRun = root;
      root = null;
      const execute: Execution = async (state) => (await runTimeline(plan, seed, state, [])).run;
      record(await checker.verify(rootRun, execute));
      if (checker.diverged) return;
    }
  }
  return {
    seeds: checkedSeeds(),
    onRoot: (run) => {
      root = run;
    },
  };
}

/** The run's seeds, generated lazily (a time limit is checked before each one). */
function* seeds(settings: RunSettings, range: IndexRange | null, started: number): Generator<bigint> {
  const { control, debugSeeds, baseSeed } = settings;
  if (range !== null) {
    for (let i = range.from; i < range.to; i++) yield nthSeed(baseSeed, i);
    return;
  }
  for (let i = 0; ; i++) {
    if (debugSeeds.length > 0) {
      const seed = debugSeeds[i];
      if (seed === undefined) return;
      yield seed;
    } else if (control.kind === 'FixedCount' ? i < control.n : performance.now() - started < control.ms) {
      yield nthSeed(baseSeed, i);
    } else return;
  }
}
