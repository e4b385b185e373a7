import { type AssertionKind, type BucketSummary, formatRecipe, type NumericCmp } from '@moonpool/explorer';
import type { IterationFailure } from '../kernel/failure.js';
import type { ExplorationReport } from './exploration-report.js';
import type { SimulationReport } from './simulation-report.js';

export interface AssertionJson {
  msg: string;
  kind: AssertionKind;
  status: string;
  passCount: number;
  failCount: number;
  cmp?: NumericCmp;
  /** A number, or a decimal string when the value was a bigint. */
  watermark?: number | string;
  frontier?: number;
  conditions?: { name: string; seenTrue: boolean }[];
  /** A catalogued site no iteration reached. */
  unreached?: true;
  buckets?: BucketSummary[];
}

export interface RunJson {
  seed: string;
  ok: boolean;
  traceHash: string;
  events: number;
  simTimeMs: number;
  wallMs: number;
  /** Why it failed, with `kind` (deadlock, runaway, settle-timeout, task-threw, …) and its details. */
  failure?: IterationFailure;
  error?: string;
  alwaysViolations: string[];
}

/** The report for machines: plain JSON values only (seeds and bigints as decimal strings). */
export interface SimulationReportJson {
  name: string;
  iterations: number;
  successfulRuns: number;
  failedRuns: number;
  seedsUsed: string[];
  seedsFailing: string[];
  alwaysViolations: string[];
  coverageViolations: string[];
  warnings: string[];
  assertions: AssertionJson[];
  runs: RunJson[];
  totalWallMs: number;
  exploration?: ExplorationJson;
  /** The run was stopped early: a partial report. */
  interrupted?: true;
}

export type ExplorationJson = Omit<ExplorationReport, 'bugRecipes' | 'exploredMap'> & {
  bugRecipes: { rootSeed: string; recipe: string; traceHash?: string; failure?: { kind: string; message: string } }[];
};

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
