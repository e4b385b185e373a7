import { availableParallelism } from 'node:os';
import { SimulationError } from '@moonpool/core';
import {
  type AssertionResult,
  type AssertionStore,
  type BatchRunner,
  COVERAGE_BITS,
  countSetBits,
  type ExplorationConfig,
  type ExplorationProgress,
  Multiverse,
  MultiverseRecorder,
  Parallelism,
  type SeedExploration,
  type StoreDelta,
} from '@moonpool/explorer';
import { codeCoverageSelection, ExplorationCoverage } from '../coverage/exploration-coverage.js';
import type { ModuleSelection } from '../coverage/module-filter.js';
import type { RunShared } from '../engine/iteration.js';
import type { SimulationPlan } from '../engine/plan.js';
import type { WatchThread } from '../kernel/progress-cell.js';
import type { ExplorationReport } from '../report/exploration-report.js';
import type { IterationRun } from '../report/simulation-report.js';
import type { FunctionCoverage } from '../coverage/function-coverage.js';
import type { WorkerSource } from './protocol.js';
import { SnapshotCheck, SnapshotStarts } from './snapshot-starts.js';
import { type TimelineResult, TimelineReplayer } from './timeline-replayer.js';
import { ExplorationPool } from './worker-pool.js';

/** How an exploration runs its timelines beyond the plan and config. */
export interface ExploreOptions {
  /** Where worker threads find the simulation; without it every timeline runs on this thread. */
  workerSource: WorkerSource | null;
  onRoot: (run: IterationRun) => void;
  onProgress: ((progress: ExplorationProgress) => void) | null;
  /** Asked before every root seed and timeline: true ends the exploration there (an interrupted run). */
  stopRequested: () => boolean;
  /** The watchdog, when one runs: worker threads report their progress to it. */
  watchThread: WatchThread | null;
  /** Replays every child started from a snapshot from time zero too, and fails at the first difference. */
  checkSnapshotStarts?: boolean;
  /**
   * Explores every root seed on its own (cold: a fresh explored map and assertion state), so that any
   * subset of root seeds explores each one exactly as the whole run does (sharded runs).
   */
  independentRootSeeds?: boolean;
  /** Keep a bounded map of the fork points and the coverage curve in the report. */
  recordMultiverse?: boolean;
}

/** What an exploration produced, beyond its report: the assertion results and warnings of earlier seeds. */
export interface Explored {
  report: ExplorationReport;
  /** Assertion results of each root seed before the last (the ledger holds the last one's). */
  earlierSeeds: AssertionResult[][];
  /** Warnings of the root seeds before the last, when they were explored independently (a reset forgets them). */
  earlierWarnings: string[];
  interrupted: boolean;
}

/**
 * Explores every root seed in turn (warm starts keep the explored map and the assertions'
 * watermarks, frontiers and bucket bests; independent root seeds start cold). Every timeline of a
 * batch runs from the batch-start assertion state, on this thread or a worker; results merge in the
 * batch's order.
 */
export async function explore(
  plan: SimulationPlan,
  config: ExplorationConfig,
  seeds: AsyncIterable<bigint> | Iterable<bigint>,
  shared: RunShared,
  options: ExploreOptions,
): Promise<Explored> {
  const ledger = shared.assertions;
  const local = new TimelineReplayer(plan, shared.traceLog);
  // Checked snapshot starts run on this thread, where no coverage is collected: the two exclude each other.
  const selection = codeCoverageSelection(
    config,
    options.workerSource !== null,
    options.checkSnapshotStarts === true,
    (m) => ledger.warn(m),
  );
  const pool = await startPool(config, options, ledger, selection);
  // With code coverage every child runs on a worker (see `ExplorationPool.start`); roots stay here.
  const coverage = selection === null ? null : new ExplorationCoverage(selection);
  const starts = new SnapshotStarts(plan);
  const check = options.checkSnapshotStarts === true ? new SnapshotCheck(plan) : null;
  let snapshotStarts = 0;
  try {
    let rootSeed = 0n;
    const runBatch: BatchRunner = async (recipes, upcoming) => {
      const { start, draws: prefixDraws } = await starts.forBatch(rootSeed, recipes);
      let batch: { results: (TimelineResult | undefined)[]; sums: StoreDelta[]; code?: FunctionCoverage[][] };
      const onWorkers = recipes.length > 1 || (coverage !== null && (recipes[0]?.length ?? 0) > 0);
      // Checked children run here: a worker does not send their trace hashes back.
      if (pool !== null && onWorkers && (check === null || start === null)) {
        // The batch likely to follow is a splitpoint's next children: they start where these do.
        batch = await pool.run(local, rootSeed, ledger, recipes, start, options.stopRequested, upcoming);
      } else {
        const results: TimelineResult[] = [];
        local.syncWith(ledger);
        for (const recipe of recipes) {
          // A stop ends the batch at a timeline boundary (the root timeline always runs).
          if (results.length > 0 && options.stopRequested()) break;
          const { run, result, machineRuns } = await local.run(rootSeed, recipe, start);
          if (run !== null) {
            options.onRoot(run);
            starts.noteRoot(machineRuns);
          }
          // The ledger holds the batch-start state until the batch is merged.
          if (start !== null) await check?.verify(rootSeed, ledger.exportBase(), recipe, start, result);
          results.push(result);
        }
        batch = { results, sums: [local.takeSum()] };
      }
      if (start !== null) snapshotStarts += batch.results.filter((r) => r !== undefined).length;
      const first = batch.results[0];
      // The prefix pass is work done for the batch: counted once, on its first child.
      if (prefixDraws > 0 && first !== undefined) {
        batch.results[0] = { ...first, outcome: { ...first.outcome, draws: first.outcome.draws + prefixDraws } };
      }
      const ran = batch.results.filter((r) => r !== undefined);
      const kept = ledger.mergeBatch(
        ran.map((r) => r.news),
        batch.sums,
      );
      let newCode = coverage !== null && coverage.judgeBatch(batch.code ?? []);
      let at = 0;
      return recipes.map((_, i) => {
        const result = batch.results[i];
        if (result === undefined) return undefined;
        const { outcome } = result;
        const keep = kept[at++] ?? [];
        if (keep.length !== outcome.splitpoints.length) {
          throw new SimulationError('internal: a timeline\'s discoveries and splitpoints differ');
        }
        // Most timelines keep all of their (usually no) splitpoints: their outcome goes on as it is.
        const splitpoints = keep.every(Boolean) ? outcome.splitpoints : outcome.splitpoints.filter((_, k) => keep[k]);
        if (!newCode) return splitpoints === outcome.splitpoints ? outcome : { ...outcome, splitpoints };
        newCode = false;
        return { ...outcome, splitpoints, newCode: true as const };
      });
    };
    const independent = options.independentRootSeeds === true;
    const recorder = options.recordMultiverse === true ? new MultiverseRecorder() : null;
    const perSeed: SeedExploration[] = [];
    const earlierSeeds: AssertionResult[][] = [];
    const earlierWarnings: string[] = [];
    // Independent root seeds: one multiverse each; the report's explored map is the union of theirs.
    const exploredUnion = new Uint32Array(COVERAGE_BITS / 32);
    const newMultiverse = (): Multiverse => {
      const m = new Multiverse(config, runBatch);
      m.onProgress = progressAfter(options.onProgress, perSeed, exploredUnion);
      m.stopRequested = options.stopRequested;
      m.recorder = recorder;
      return m;
    };
    let multiverse = newMultiverse();
    let interrupted = false;
    for await (const seed of seeds) {
      if (options.stopRequested()) {
        interrupted = true;
        break;
      }
      if (perSeed.length > 0) {
        // The next seed resets the counters: keep this seed's, so the report adds them up.
        earlierSeeds.push(ledger.results());
        if (independent) {
          earlierWarnings.push(...ledger.warnings());
          ledger.reset();
          orInto(exploredUnion, multiverse.explored);
          multiverse = newMultiverse();
        } else {
          ledger.prepareNextSeed();
        }
      }
      rootSeed = seed;
      const explored = await multiverse.exploreSeed(seed);
      perSeed.push(explored);
      if (explored.interrupted === true) {
        interrupted = true;
        break;
      }
    }
    // A worker joins when it has loaded the simulation: one that could not fails the run all the same.
    await pool?.started();
    orInto(exploredUnion, multiverse.explored);
    const report = explorationReport(config, perSeed, exploredUnion, pool?.threads ?? 1, interrupted, snapshotStarts);
    if (coverage !== null) report.codeCoverage = coverage.report();
    if (recorder !== null) report.multiverse = recorder.map();
    pool?.park();
    return { report, earlierSeeds, earlierWarnings, interrupted };
  } finally {
    await pool?.close();
  }
}

/** Worker threads for the configured parallelism, or null to run on this thread (with a warning if asked for). */
async function startPool(
  config: ExplorationConfig,
  { workerSource: source, watchThread }: ExploreOptions,
  ledger: AssertionStore,
  codeCoverage: ModuleSelection | null,
): Promise<ExplorationPool | null> {
  if (codeCoverage !== null && source !== null) {
    const { parallelism } = config;
    const threads = parallelism === undefined ? 1 : Parallelism.slots(parallelism, availableParallelism());
    return ExplorationPool.start(threads, source, watchThread, codeCoverage);
  }
  if (config.parallelism === undefined) return null;
  const slots = Parallelism.slots(config.parallelism, availableParallelism());
  if (slots <= 1) return null;
  if (source === null) {
    ledger.warn(
      `exploration parallelism asks for ${slots} threads but the simulation has no worker module ` +
        '(builder.setWorkerModule(url, exportName); the moonpool command sets it): timelines ran on the main thread',
    );
    return null;
  }
  return ExplorationPool.start(slots, source, watchThread);
}

/**
 * Progress over all root seeds: with independent root seeds every seed has its own multiverse, whose
 * counts start again at zero; the seeds explored before it are added.
 */
function progressAfter(
  onProgress: ((progress: ExplorationProgress) => void) | null,
  before: readonly SeedExploration[],
  explored: Uint32Array,
): ((progress: ExplorationProgress) => void) | null {
  if (onProgress === null) return null;
  const seedsBefore = before.length;
  const timelinesBefore = before.reduce((n, s) => n + s.timelines, 0);
  const bugsBefore = before.reduce((n, s) => n + s.bugs.length, 0);
  const bitsBefore = countSetBits(explored);
  if (seedsBefore === 0) return onProgress;
  return (p) =>
    onProgress({
      ...p,
      seedsStarted: seedsBefore + 1,
      timelines: p.timelines + timelinesBefore,
      bugs: p.bugs + bugsBefore,
      coverageBits: Math.max(p.coverageBits, bitsBefore),
    });
}

function orInto(target: Uint32Array, source: Uint32Array): void {
  for (let i = 0; i < target.length; i++) target[i] = ((target[i] as number) | (source[i] as number)) >>> 0;
}

function explorationReport(
  config: ExplorationConfig,
  perSeed: readonly SeedExploration[],
  explored: Uint32Array,
  threads: number,
  interrupted: boolean,
  snapshotStarts: number,
): ExplorationReport {
  const sum = (f: (s: SeedExploration) => number): number => perSeed.reduce((n, s) => n + f(s), 0);
  const last = perSeed[perSeed.length - 1];
  return {
    totalTimelines: sum((s) => s.timelines),
    forkPoints: sum((s) => s.forkPoints),
    bugsFound: sum((s) => s.bugs.length),
    bugRecipes: perSeed.flatMap((s) => s.bugs),
    energyRemaining: last?.energyRemaining ?? config.globalEnergy,
    reallocPoolRemaining: last?.reallocPoolRemaining ?? 0,
    coverageBits: countSetBits(explored),
    coverageTotal: COVERAGE_BITS,
    exploredMap: Buffer.from(explored.buffer, explored.byteOffset, explored.byteLength).toString('base64'),
    // An interrupted exploration did not converge, even one stopped before its first seed.
    converged: !interrupted && perSeed.every((s) => s.converged),
    perSeedTimelines: perSeed.map((s) => s.timelines),
    draws: sum((s) => s.draws),
    ownDraws: sum((s) => s.ownDraws),
    ...(snapshotStarts > 0 ? { snapshotStarts } : {}),
    threads,
  };
}
