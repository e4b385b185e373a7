import type { AssertionResult, AssertionViolations } from '@moonpool/explorer';
import type { IterationFailure } from '../kernel/failure.js';
import type { ExplorationReport } from './exploration-report.js';

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
  /** Always-assertions violated in this iteration. */
  alwaysViolations: string[];
  /** Random draws in all, and since the last reseed (exploration's replay accounting). */
  draws?: number;
  ownDraws?: number;
}

/** Everything a run of the builder produced. */
export interface SimulationReport {
  name: string;
  iterations: number;
  successfulRuns: number;
  failedRuns: number;
  seedsUsed: bigint[];
  seedsFailing: bigint[];
  runs: IterationRun[];
  assertions: AssertionResult[];
  /** Definite bugs: an always-style assertion failed at least once. */
  alwaysViolations: string[];
  /** Statistical: a sometimes-style assertion was never satisfied over all iterations. */
  coverageViolations: string[];
  /** Warnings that did not fail the run (for example assertion slots exhausted). */
  warnings: string[];
  totalWallMs: number;
  /** Present when the run explored the multiverse (`enableExploration`). */
  exploration?: ExplorationReport;
}

export type { AssertionViolations };

/**
 * Success = no failing seed, no always-violation and no bug found by exploration (whatever made
 * its timeline fail). Coverage violations do not fail a run.
 */
export function reportSucceeded(report: SimulationReport): boolean {
  return report.failedRuns === 0 && report.alwaysViolations.length === 0 && (report.exploration?.bugsFound ?? 0) === 0;
}
