import { type BugRecipe, parseRecipe } from '@moonpool/explorer';
import { MOONPOOL_VERSION } from './moonpool-version.js';
import {
  type AssertionJson,
  type ExplorationJson,
  explorationToJson,
  type RunJson,
  reportToJson,
} from './report-json.js';
import type { ExplorationReport } from './exploration-report.js';
import type { IterationRun, SimulationReport } from './simulation-report.js';

/** The `format` field of every mergeable report file. */
export const MERGEABLE_REPORT_FORMAT = 'moonpool-mergeable-report';
/** The layout version of mergeable report files; a file of another layout is refused. */
export const MERGEABLE_REPORT_FORMAT_VERSION = 1;

/**
 * What one invocation (`sim run --out`, a campaign job, a merge) writes: for each simulation it
 * ran, the part of the seed sequence it covers, with enough to rebuild the report of any set of
 * parts that covers each index once (see `mergeReports`). Plain JSON (seeds as decimal strings).
 */
export interface MergeableReport {
  /** Always `moonpool-mergeable-report` (`MERGEABLE_REPORT_FORMAT`): marks the file as a mergeable report. */
  format: typeof MERGEABLE_REPORT_FORMAT;
  /** The file layout (`MERGEABLE_REPORT_FORMAT_VERSION`, now 1); a file of another layout is refused. */
  formatVersion: typeof MERGEABLE_REPORT_FORMAT_VERSION;
  /** The moonpool version that wrote the file; reports of different versions do not merge. */
  moonpoolVersion: string;
  /** One entry per simulation run (a merged file may hold several disjoint parts of one simulation). */
  simulations: MergeablePart[];
}

/** One simulation's results over the indices [from, to) of its seed sequence. */
export interface MergeablePart {
  /** The simulation's name: parts merge with the parts of the same name. */
  name: string;
  /** SHA-256 of the configuration that decides results (iterations, base seed, plan, exploration). */
  fingerprint: string;
  /** Iterations (explorations: root seeds) of the whole run: indices 0 to total - 1. */
  total: number;
  /** The seed the whole sequence derives from (a u64) as a decimal string. */
  baseSeed: string;
  /** Explorations explored each root seed on its own (sharded) rather than from the earlier ones' state. */
  independentRootSeeds: boolean;
  /** The simulation demonstrates a bug (`expectFailure`): a failing verdict is its success. */
  expectFailure: boolean;
  /** First index this part covers (inclusive). */
  from: number;
  /** End of the indices this part covers (exclusive). */
  to: number;
  /** One per index, in order: `runs[k]` is index from + k. */
  runs: MergeableRunJson[];
  /** Assertion results over these indices, in the order first reached (catalogued unreached ones last). */
  assertions: AssertionJson[];
  /** Warnings of the run of these indices that did not fail it; empty when none. */
  warnings: string[];
  /** Wall-clock time the part took (the merge adds them up). */
  wallMs: number;
  /** Present when the simulation explored: the exploration over these root seeds, with its explored map. */
  exploration?: MergeableExplorationJson;
}

/** An iteration (explorations: a root timeline), with the draw counts exploration keeps. */
export interface MergeableRunJson extends RunJson {
  /** Random draws of the iteration in all, replayed prefixes included. */
  draws?: number;
  /** Random draws since the generator's last reseed. */
  ownDraws?: number;
}

/**
 * The exploration over the part's root seeds, with its explored map. Code coverage and the multiverse
 * map (`recordMultiverseMap`) are not kept: neither can be merged exactly.
 */
export type MergeableExplorationJson = Omit<ExplorationJson, 'codeCoverage' | 'multiverse'> & { exploredMap: string };

/** A report that cannot be merged, reports that must not be merged together, or a bad report file. */
export class ReportMergeError extends Error {
  /** Always `'ReportMergeError'`, so that `error.name` tells these errors from others. */
  override name = 'ReportMergeError';
}

/** A report to write, and whether its simulation declares a failure expected (the CLI's `expectFailure`). */
export interface MergeableInput {
  /** The report of one simulation's run. */
  report: SimulationReport;
  /** True when the simulation demonstrates a bug (a failing verdict is its success); default false. */
  expectFailure?: boolean;
}

/**
 * The mergeable form of the reports of one invocation. A report qualifies when its iterations are
 * counted (`report.indices`: a fixed count, no pinned seeds, no replay) and it was not interrupted;
 * otherwise this throws a `ReportMergeError` saying why.
 */
export function toMergeableReport(reports: readonly (SimulationReport | MergeableInput)[]): MergeableReport {
  return {
    format: MERGEABLE_REPORT_FORMAT,
    formatVersion: MERGEABLE_REPORT_FORMAT_VERSION,
    moonpoolVersion: MOONPOOL_VERSION,
    simulations: reports.map((r) => ('report' in r ? toPart(r.report, r.expectFailure === true) : toPart(r, false))),
  };
}

function toPart(report: SimulationReport, expectFailure: boolean): MergeablePart {
  const { indices } = report;
  if (indices === undefined) {
    throw new ReportMergeError(
      `${report.name}: only a run of a fixed number of iterations can be merged (not pinned seeds, ` +
        'a replayed recipe or a time limit)',
    );
  }
  if (report.interrupted === true) {
    throw new ReportMergeError(`${report.name}: the run was interrupted; an interrupted run cannot be merged`);
  }
  const json = reportToJson(report);
  const part: MergeablePart = {
    name: report.name,
    fingerprint: indices.fingerprint,
    total: indices.total,
    baseSeed: indices.baseSeed.toString(),
    independentRootSeeds: indices.independentRootSeeds,
    expectFailure,
    from: indices.from,
    to: indices.to,
    runs: json.runs.map((run, k) => withDraws(run, report.runs[k] as IterationRun)),
    assertions: json.assertions,
    warnings: json.warnings,
    wallMs: report.totalWallMs,
  };
  if (report.exploration !== undefined) part.exploration = explorationPart(report.exploration);
  return part;
}

function withDraws(run: RunJson, source: IterationRun): MergeableRunJson {
  const out: MergeableRunJson = { ...run };
  if (source.draws !== undefined) out.draws = source.draws;
  if (source.ownDraws !== undefined) out.ownDraws = source.ownDraws;
  return out;
}

function explorationPart(e: ExplorationReport): MergeableExplorationJson {
  const { codeCoverage: _coverage, multiverse: _map, ...json } = explorationToJson(e);
  // A report built by hand may lack the map: no bit explored.
  const exploredMap = e.exploredMap ?? Buffer.alloc(e.coverageTotal / 8).toString('base64');
  return { ...json, exploredMap };
}

/** A run of a part, back in the form a report holds (seeds as bigints). */
export function runFromJson(run: MergeableRunJson): IterationRun {
  const out: IterationRun = {
    seed: BigInt(run.seed),
    ok: run.ok,
    traceHash: run.traceHash,
    events: run.events,
    simTimeMs: run.simTimeMs,
    wallMs: run.wallMs,
    alwaysViolations: [...run.alwaysViolations],
  };
  if (run.failure !== undefined) out.failure = run.failure;
  if (run.error !== undefined) out.error = run.error;
  if (run.draws !== undefined) out.draws = run.draws;
  if (run.ownDraws !== undefined) out.ownDraws = run.ownDraws;
  return out;
}

/** A bug recipe of a part, back in the form a report holds. */
export function bugFromJson(bug: MergeableExplorationJson['bugRecipes'][number]): BugRecipe {
  return {
    rootSeed: BigInt(bug.rootSeed),
    recipe: parseRecipe(bug.recipe),
    ...(bug.traceHash === undefined ? {} : { traceHash: bug.traceHash }),
    ...(bug.failure === undefined ? {} : { failure: { ...bug.failure } }),
  };
}
