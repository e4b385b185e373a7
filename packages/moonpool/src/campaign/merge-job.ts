import type { Job } from 'bullmq';
import type { SimulationReportJson } from '@moonpool/sim';
import type { CampaignSpec } from './payload.js';
import { mergedSucceeded, mergeRangeReports, type RangeReport } from './range-run.js';

/** A range job that failed for good (rejected, or stalled too often), and why. */
export interface FailedRange {
  range: string;
  reason: string;
}

/** The merge job's result: the campaign's merged report and its verdict. */
export interface CampaignResult {
  report: SimulationReportJson;
  /** Ranges that never completed: the report lacks their seeds, and the campaign fails. */
  failedRanges: FailedRange[];
  /** Index ranges no completed job covered (a failed range, or a job removed from Redis). */
  missing: string[];
  /** Every seed ran and the verdict is as the simulation expects (no failure, or one if it demonstrates a bug). */
  passed: boolean;
  finishedAt: number;
}

/** Runs once every range job of the campaign has completed or failed for good. */
export async function mergeCampaign(job: Job): Promise<CampaignResult> {
  const spec = job.data as CampaignSpec;
  const values = Object.values(await job.getChildrenValues<RangeReport>());
  const failures = await job.getIgnoredChildrenFailures();
  const failedRanges = Object.entries(failures).map(([key, reason]) => ({ range: rangeOfKey(key), reason }));
  failedRanges.sort((a, b) => compareRanges(a.range, b.range));
  const merged = mergeRangeReports(spec.simulation, spec.seeds, values);
  const missing = merged.missing.map((r) => `${r.from}:${r.to}`);
  const complete = failedRanges.length === 0 && missing.length === 0;
  const verdictAsExpected = mergedSucceeded(merged.report) !== spec.expectFailure;
  const passed = complete && verdictAsExpected;
  return { report: merged.report, failedRanges, missing, passed, finishedAt: Date.now() };
}

/** `moonpool:campaign-ranges:<campaign>.<from>-<to>` → `<from>:<to>`. */
export function rangeOfKey(key: string): string {
  const m = /\.([0-9]+)-([0-9]+)$/.exec(key);
  return m === null ? key : `${m[1]}:${m[2]}`;
}

function compareRanges(a: string, b: string): number {
  return Number(a.split(':')[0]) - Number(b.split(':')[0]);
}
