import { type AssertionKind, type BucketSummary, formatRecipe, type NumericCmp } from '@moonpool/explorer';
import type { IterationFailure } from '../kernel/failure.js';
import type { ExplorationReport } from './exploration-report.js';
import type { SimulationReport } from './simulation-report.js';

/** One row of the report's assertion table as JSON: an `AssertionResult` whose bigint watermark is a decimal string. */
export interface AssertionJson {
  /** The assertion's message, which is its identity: one row per message. */
  msg: string;
  /** The assertion family that recorded it (`Always`, `Sometimes`, `NumericSometimes`, `EachBucket`, …). */
  kind: AssertionKind;
  /**
   * `pass`; `fail` (always-style: it failed, or an `assertAlways` was never reached); or `uncovered`
   * (sometimes-style: never satisfied).
   */
  status: string;
  /** Evaluations in which the assertion held, over the whole run (`assertReachable`: times reached). */
  passCount: number;
  /** Evaluations in which it did not hold, over the whole run (`assertUnreachable`: times reached). */
  failCount: number;
  /** Numeric assertions only: the comparison (`gt`, `ge`, `lt`, `le`); absent for other kinds. */
  cmp?: NumericCmp;
  /** A number, or a decimal string when the value was a bigint. */
  watermark?: number | string;
  /** `assertSometimesAll` only: the most conditions seen true at once. */
  frontier?: number;
  /** `assertSometimesAll` only: each named condition and whether it was ever true. */
  conditions?: { name: string; seenTrue: boolean }[];
  /** A catalogued site no iteration reached. */
  unreached?: true;
  /** `assertSometimesEach` only: one summary per bucket (combination of identity keys) seen. */
  buckets?: BucketSummary[];
}

/** One iteration (`IterationRun`) as JSON: its seed is a decimal string. */
export interface RunJson {
  /** The iteration's seed (a u64) as a decimal string. */
  seed: string;
  /** True when the iteration passed: no failure and no always-violation. */
  ok: boolean;
  /** Hex hash of the processed event sequence; two iterations with equal hashes executed identically. */
  traceHash: string;
  /** Simulation events processed by the iteration. */
  events: number;
  /** Simulated time at the end of the iteration, in ms. */
  simTimeMs: number;
  /** Wall-clock time the iteration took, in ms. */
  wallMs: number;
  /** Why it failed, with `kind` (deadlock, runaway, settle-timeout, task-threw, …) and its details. */
  failure?: IterationFailure;
  /** The failure as text (`describeFailure(failure)`); absent when the iteration passed. */
  error?: string;
  /** Messages of the always-assertions this iteration violated; empty when none. */
  alwaysViolations: string[];
}

/** The report for machines: plain JSON values only (seeds and bigints as decimal strings). */
export interface SimulationReportJson {
  /** The simulation's name (`setName`; default `simulation`). */
  name: string;
  /** Iterations run (explorations: root seeds). */
  iterations: number;
  /** Iterations that passed. */
  successfulRuns: number;
  /** Iterations that failed; the run fails when this is above 0. */
  failedRuns: number;
  /** The seed of every iteration, in the order run, as decimal strings. */
  seedsUsed: string[];
  /** The seeds of the failing iterations, in the order run, as decimal strings. */
  seedsFailing: string[];
  /** Definite bugs: messages of the always-style assertions that failed at least once. */
  alwaysViolations: string[];
  /** Statistical: messages of the sometimes-style assertions never satisfied; they do not fail the run. */
  coverageViolations: string[];
  /** Warnings that did not fail the run (for example assertion slots exhausted). */
  warnings: string[];
  /** One row per assertion, as in the text report's assertion table. */
  assertions: AssertionJson[];
  /** One entry per iteration, in the order run. */
  runs: RunJson[];
  /** Wall-clock time of the whole run, in ms. */
  totalWallMs: number;
  /** Present when the run explored the multiverse (`enableExploration`). */
  exploration?: ExplorationJson;
  /** The run was stopped early: a partial report. */
  interrupted?: true;
}

/**
 * The exploration report as JSON: without the explored map, and with each bug's root seed as a decimal
 * string and its recipe in printed form (`151@8837201 -> 80@1293847`).
 */
export type ExplorationJson = Omit<ExplorationReport, 'bugRecipes' | 'exploredMap'> & {
  bugRecipes: { rootSeed: string; recipe: string; traceHash?: string; failure?: { kind: string; message: string } }[];
};

/**
 * The JSON form of a report: seeds and bigint watermarks become decimal strings. `JSON.stringify` of a
 * report a run returned gives the same.
 */
export function reportToJson(report: SimulationReport): SimulationReportJson {
  return {
    name: report.name,
    iterations: report.iterations,
    successfulRuns: report.successfulRuns,
    failedRuns: report.failedRuns,
    seedsUsed: report.seedsUsed.map(String),
    seedsFailing: report.seedsFailing.map(String),
    alwaysViolations: [...report.alwaysViolations],
    coverageViolations: [...report.coverageViolations],
    warnings: [...report.warnings],
    assertions: report.assertions.map((a) => {
      const out: AssertionJson = {
        msg: a.msg,
        kind: a.kind,
        status: a.status,
        passCount: a.passCount,
        failCount: a.failCount,
      };
      if (a.cmp !== undefined) out.cmp = a.cmp;
      if (a.watermark !== undefined) {
        out.watermark = typeof a.watermark === 'bigint' ? a.watermark.toString() : a.watermark;
      }
      if (a.frontier !== undefined) out.frontier = a.frontier;
      if (a.conditions !== undefined) out.conditions = a.conditions.map((c) => ({ ...c }));
      if (a.unreached) out.unreached = true;
      if (a.buckets !== undefined) {
        out.buckets = a.buckets.map((b) => ({
          ...b,
          ...(b.quality ? { quality: { ...b.quality } } : {}),
        }));
      }
      return out;
    }),
    runs: report.runs.map((r) => {
      const out: RunJson = {
        seed: r.seed.toString(),
        ok: r.ok,
        traceHash: r.traceHash,
        events: r.events,
        simTimeMs: r.simTimeMs,
        wallMs: r.wallMs,
        alwaysViolations: [...r.alwaysViolations],
      };
      if (r.failure !== undefined) out.failure = r.failure;
      if (r.error !== undefined) out.error = r.error;
      return out;
    }),
    totalWallMs: report.totalWallMs,
    ...(report.exploration ? { exploration: explorationToJson(report.exploration) } : {}),
    ...(report.interrupted === true ? { interrupted: true as const } : {}),
  };
}

/** Gives `report` a non-enumerable `toJSON` (so comparisons and spreads ignore it): `JSON.stringify` then works. */
export function withToJson(report: SimulationReport): SimulationReport {
  Object.defineProperty(report, 'toJSON', {
    value(this: SimulationReport) {
      return reportToJson(this);
    },
    enumerable: false,
    configurable: true,
    writable: true,
  });
  return report;
}

/** The exploration report with seeds as decimal strings and recipes in their printed form. */
export function explorationToJson(e: ExplorationReport): ExplorationJson {
  const { exploredMap: _map, ...rest } = e;
  return {
    ...rest,
    bugRecipes: e.bugRecipes.map((b) => ({
      rootSeed: b.rootSeed.toString(),
      recipe: formatRecipe(b.recipe),
      ...(b.traceHash === undefined ? {} : { traceHash: b.traceHash }),
      ...(b.failure === undefined ? {} : { failure: { ...b.failure } }),
    })),
  };
}
