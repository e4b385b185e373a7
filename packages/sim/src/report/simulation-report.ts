import type { AssertionResult, AssertionViolations } from '@moonpool/explorer';
import type { IterationFailure } from '../kernel/failure.js';
import type { ExplorationReport } from './exploration-report.js';
import { violatedMessages } from './violations.js';

/** Outcome of one iteration (one seed). */
export interface IterationRun {
  seed: bigint;
  ok: boolean;
  /** Hash of the processed event sequence: equal hashes mean the same execution. */
  traceHash: string;
  events: number;
  simTimeMs: number;
  wallMs: number;
  /** Why the iteration failed; absent when it passed. */
  failure?: IterationFailure;
  /** The failure as text (`describeFailure(failure)`). */
  error?: string;
  /** The messages of the always-assertions violated in this iteration (as in the report's `alwaysViolations`). */
  alwaysViolations: string[];
  /** Random draws in all, and since the last reseed (exploration's replay accounting). */
  draws?: number;
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
  to: number;
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
  name: string;
  iterations: number;
  /** Iterations that passed and failed (the same names in the JSON form). */
  successfulRuns: number;
  failedRuns: number;
  seedsUsed: bigint[];
  seedsFailing: bigint[];
  runs: IterationRun[];
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
