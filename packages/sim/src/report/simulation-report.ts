import type { AssertionResult, AssertionViolations } from '@moonpool/explorer';
import type { IterationFailure } from '../kernel/failure.js';
import type { ExplorationReport } from './exploration-report.js';
import { violatedMessages } from './violations.js';

/** Outcome of one iteration (one seed). */
export interface IterationRun {
  /** The iteration's seed (a u64); `setDebugSeeds([seed])` runs this iteration again. */
  seed: bigint;
  /** True when the iteration passed: no failure and no always-violation. */
  ok: boolean;
  /** Hash of the processed event sequence: equal hashes mean the same execution. */
  traceHash: string;
  /** Simulation events processed by the iteration. */
  events: number;
  /** Simulated time at the end of the iteration, in ms. */
  simTimeMs: number;
  /** Wall-clock time the iteration took, in ms. */
  wallMs: number;
  /** Why the iteration failed; absent when it passed. */
  failure?: IterationFailure;
  /** The failure as text (`describeFailure(failure)`). */
  error?: string;
  /** The messages of the always-assertions violated in this iteration (as in the report's `alwaysViolations`). */
  alwaysViolations: string[];
  /** Random draws in all, and since the last reseed (exploration's replay accounting). */
  draws?: number;
  /** Random draws since the generator's last reseed; equal to `draws` when it was never reseeded. */
  ownDraws?: number;
}

/**
 * Where a run's seeds sit in its fixed seed sequence (index k: `nthSeed(baseSeed, k)`) and what
 * decided its results: what a mergeable report (`toMergeableReport`) is made from. A run has it when
 * its iterations are counted (a fixed count, no pinned seeds, no replayed recipe).
 */
export interface RunIndices {
  /** Iterations of the whole run: indices 0 to total - 1. */
  total: number;
  /** The indices this run covers: [from, to) (`runs[k]` is index from + k). */
  from: number;
  /** End of the indices this run covers (exclusive): it ran `to - from` iterations. */
  to: number;
  /** The seed the whole sequence derives from (a u64): index k runs seed `nthSeed(baseSeed, k)`. */
  baseSeed: bigint;
  /** SHA-256 of the configuration that decides results (see `runFingerprint`); the selection is not part of it. */
  fingerprint: string;
  /**
   * Explorations: every root seed was explored on its own (a run given a shard or range does so, so
   * that its seeds explore as in any other split); otherwise later seeds start from earlier ones' state.
   */
  independentRootSeeds: boolean;
}

/**
 * Everything a run of the builder produced. `JSON.stringify(report)` gives `reportToJson(report)`
 * (seeds as decimal strings) through `toJSON`.
 */
export interface SimulationReport {
  /** The simulation's name (`setName`; default `simulation`). */
  name: string;
  /** Iterations run (explorations: root seeds). */
  iterations: number;
  /** Iterations that passed and failed (the same names in the JSON form). */
  successfulRuns: number;
  /** Iterations that failed; the run fails when this is above 0. */
  failedRuns: number;
  /** The seed of every iteration, in the order run. */
  seedsUsed: bigint[];
  /** The seeds of the failing iterations, in the order run; empty when all passed. */
  seedsFailing: bigint[];
  /** One entry per iteration, in the order run. */
  runs: IterationRun[];
  /** One result per assertion (its message is its identity), as in the text report's assertion table. */
  assertions: AssertionResult[];
  /**
   * Definite bugs: the messages of the always-style assertions that failed at least once — the same
   * form as `runs[i].alwaysViolations`. Their counts are in `assertions` (the text report shows them).
   */
  alwaysViolations: string[];
  /** Statistical: the messages of the sometimes-style assertions never satisfied over all iterations. */
  coverageViolations: string[];
  /** Warnings that did not fail the run (for example assertion slots exhausted). */
  warnings: string[];
  /** Wall-clock time of the whole run, in ms. */
  totalWallMs: number;
  /** Present when the run explored the multiverse (`enableExploration`). */
  exploration?: ExplorationReport;
  /**
   * The run was stopped early (its abort signal, e.g. Ctrl-C in the command): the report holds the
   * iterations and timelines run until the boundary where it stopped.
   */
  interrupted?: true;
  /** Present when the iterations are counted (see `RunIndices`): the report can become a mergeable one. */
  indices?: RunIndices;
  /**
   * Set (not enumerable) on reports a run returns: gives `reportToJson(report)`, so that
   * `JSON.stringify` works despite bigint seeds.
   */
  toJSON?: () => object;
}

export type { AssertionViolations };

/**
 * Success = no failing seed, no always-violation and no bug found by exploration (whatever made
 * its timeline fail). Coverage violations do not fail a run.
 */
export function reportSucceeded(report: SimulationReport): boolean {
  return report.failedRuns === 0 && report.alwaysViolations.length === 0 && (report.exploration?.bugsFound ?? 0) === 0;
}

/** The part of a report its runs and assertion results decide: counts, seeds and violated messages. */
export function reportOfRuns(
  runs: IterationRun[],
  assertions: AssertionResult[],
): Pick<
  SimulationReport,
  | 'iterations' | 'successfulRuns' | 'failedRuns' | 'seedsUsed' | 'seedsFailing' | 'runs' | 'assertions'
  | 'alwaysViolations' | 'coverageViolations'
> {
  const failing = runs.filter((r) => !r.ok);
  return {
    iterations: runs.length,
    successfulRuns: runs.length - failing.length,
    failedRuns: failing.length,
    seedsUsed: runs.map((r) => r.seed),
    seedsFailing: failing.map((r) => r.seed),
    runs,
    assertions,
    ...violatedMessages(assertions),
  };
}
