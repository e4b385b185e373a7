// The one place a campaign touches how a range of iterations is run and how range reports merge.
// TEMPORARY: written before issue 13 part 1 (shards and mergeable reports) landed; replaced by its
// interface once merged.
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { type IterationRun, reportToJson, type SimulationReportJson } from '@moonpool/sim';
import type { DiscoveredSimulation } from '../cli/discover.js';
import type { CampaignSettings } from './payload.js';

/** A range's report as a job returns it: plain JSON. */
export interface RangeReport {
  from: number;
  to: number;
  report: SimulationReportJson;
}

/** The merged report of a campaign (plain JSON) and whether every index of [0, seeds) is in it once. */
export interface MergedReport {
  report: SimulationReportJson;
  /** Index ranges that no report covered. */
  missing: { from: number; to: number }[];
}

const GAMMA = 0x9e3779b97f4a7c15n;
const MASK = (1n << 64n) - 1n;
const DEFAULT_BASE_SEED = 0x6d6f6f6e706f6f6cn;

/** The configuration fingerprint of a whole campaign run (what both ends must agree on). */
export function campaignFingerprint(sim: DiscoveredSimulation, s: Omit<CampaignSettings, 'fingerprint' | 'version'>): string {
  const data = JSON.stringify([sim.definition.name, s.seeds, s.baseSeed, s.checkDeterminism]);
  return createHash('sha256').update(data).digest('hex');
}

/** Runs iteration indices [from, to) of the campaign's run; `onIteration` sees each with its index. */
export async function runRange(
  sim: DiscoveredSimulation,
  s: CampaignSettings,
  from: number,
  to: number,
  onIteration: (run: IterationRun, index: number) => void,
): Promise<RangeReport> {
  const builder = sim.definition.build().setWorkerModule(pathToFileURL(sim.file), sim.exportName);
  const base = s.baseSeed === null ? DEFAULT_BASE_SEED : BigInt(s.baseSeed);
  // The i-th seed of base b is the 0-th of b + i·gamma (SplitMix64): the range's own base.
  builder.setBaseSeed((base + BigInt(from) * GAMMA) & MASK);
  builder.setIterations(to - from);
  if (s.checkDeterminism) builder.checkDeterminism();
  builder.setStallTimeout(s.stallTimeoutSeconds * 1000);
  builder.onIterationDone((run, i) => onIteration(run, from + i));
  const report = await builder.run();
  return { from, to, report: reportToJson(report) };
}

/** Merges range reports in index order; a range seen twice counts once. */
export function mergeRangeReports(name: string, seeds: number, ranges: readonly RangeReport[]): MergedReport {
  const sorted = [...ranges].sort((a, b) => a.from - b.from || a.to - b.to);
  const report: SimulationReportJson = {
    name,
    iterations: 0,
    successfulRuns: 0,
    failedRuns: 0,
    seedsUsed: [],
    seedsFailing: [],
    alwaysViolations: [],
    coverageViolations: [],
    warnings: [],
    assertions: [],
    runs: [],
    totalWallMs: 0,
  };
  const missing: { from: number; to: number }[] = [];
  let next = 0;
  for (const r of sorted) {
    if (r.from < next) continue;
    if (r.from > next) missing.push({ from: next, to: r.from });
    next = r.to;
    const p = r.report;
    report.iterations += p.iterations;
    report.successfulRuns += p.successfulRuns;
    report.failedRuns += p.failedRuns;
    report.seedsUsed.push(...p.seedsUsed);
    report.seedsFailing.push(...p.seedsFailing);
    report.runs.push(...p.runs);
    report.totalWallMs += p.totalWallMs;
    for (const v of p.alwaysViolations) if (!report.alwaysViolations.includes(v)) report.alwaysViolations.push(v);
    for (const a of p.assertions) {
      const same = report.assertions.find((b) => b.msg === a.msg && b.kind === a.kind);
      if (same === undefined) report.assertions.push({ ...a });
      else {
        same.passCount += a.passCount;
        same.failCount += a.failCount;
      }
    }
  }
  if (next < seeds) missing.push({ from: next, to: seeds });
  return { report, missing };
}

/** Whether a merged report passes (no failing seed, no always-violation, no bug found). */
export function mergedSucceeded(report: SimulationReportJson): boolean {
  return report.failedRuns === 0 && report.alwaysViolations.length === 0 && (report.exploration?.bugsFound ?? 0) === 0;
}
