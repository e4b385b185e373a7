import type { Job } from 'bullmq';
import { type MergeableReport, mergeReports, mergeResultToReport, reportSucceeded } from '@moonpool/sim';
import type { CampaignSpec } from './payload.js';

/** A range job that failed for good (rejected, or stalled too often), and why. */
export interface FailedRange {
  range: string;
  reason: string;
}

/** The merge job's result: the campaign's merged report and its verdict. */
export interface CampaignResult {
  /** The merged ranges as one mergeable report (what `campaign report --out` writes; `moonpool merge` reads it). */
  merged: MergeableReport;
  /** Ranges that never completed: the report lacks their seeds, and the campaign fails. */
  failedRanges: FailedRange[];
  /** Index ranges no completed job covered (`from:to`). */
  missing: string[];
  iterations: number;
  failedRuns: number;
  /** Every seed ran and the verdict is as the simulation expects (no failure, or one if it demonstrates a bug). */
  passed: boolean;
  finishedAt: number;
}

/**
 * Runs once every range job of the campaign has completed or failed for good: merges the ranges'
 * reports (a range counted twice would count once; reports that disagree fail the merge job).
 */
export async function mergeCampaign(job: Job): Promise<CampaignResult> {
  const spec = job.data as CampaignSpec;
  const children = await job.getChildrenValues<MergeableReport>();
  const failures = await job.getIgnoredChildrenFailures();
  const failedRanges = Object.entries(failures).map(([key, reason]) => ({ range: rangeOfKey(key), reason }));
  failedRanges.sort((a, b) => startOf(a.range) - startOf(b.range));
  const keys = Object.keys(children).sort((a, b) => startOf(rangeOfKey(a)) - startOf(rangeOfKey(b)));
  if (keys.length === 0) {
    const why = failedRanges[0]?.reason ?? 'no range completed';
    throw new Error(`no range of the campaign completed (${failedRanges.length} failed; the first: ${why})`);
  }
  const result = mergeReports(
    keys.map((k) => children[k] as MergeableReport),
    keys.map((k) => `range ${rangeOfKey(k)}`),
  );
  const merged = result.simulations[0];
  if (merged === undefined || result.simulations.length !== 1 || merged.name !== spec.simulation) {
    throw new Error(`the ranges' reports are not all of ${spec.simulation}`);
  }
  const missing = merged.missing.map((r) => `${r.from}:${r.to}`);
  const complete = failedRanges.length === 0 && merged.complete;
  const verdictAsExpected = reportSucceeded(merged.report) !== spec.expectFailure;
  return {
    merged: mergeResultToReport(result),
    failedRanges,
    missing,
    iterations: merged.report.iterations,
    failedRuns: merged.report.failedRuns,
    passed: complete && verdictAsExpected,
    finishedAt: Date.now(),
  };
}

/** `moonpool:campaign-ranges:<campaign>.<from>-<to>` → `<from>:<to>`. */
export function rangeOfKey(key: string): string {
  const m = /\.([0-9]+)-([0-9]+)(?:-[a-z]+)?$/.exec(key);
  return m === null ? key : `${m[1]}:${m[2]}`;
}

function startOf(range: string): number {
  return Number(range.split(':')[0]);
}
