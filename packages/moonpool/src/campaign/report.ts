import { writeFile } from 'node:fs/promises';
import type { Queue } from 'bullmq';
import { mergeReports, reportToJson, type SimulationReport } from '@moonpool/sim';
import { CliError } from '../cli/errors.js';
import { formatOutcome } from '../cli/output.js';
import { type CampaignResult, type FailedRange, rangeOfKey } from './merge-job.js';
import type { CampaignSpec } from './payload.js';
import { campaignJob } from './status.js';

/** A finished campaign: merged, or failed as a whole (its merge job failed: no range completed, or a merge refused). */
export type FinishedCampaign =
  | { spec: CampaignSpec; result: CampaignResult; report: SimulationReport }
  | { spec: CampaignSpec; failedReason: string; failedRanges: FailedRange[] };

/** The campaign's outcome; a CliError while it still runs. */
export async function finishedCampaign(merges: Queue, id: string): Promise<FinishedCampaign> {
  const job = await campaignJob(merges, id);
  const spec = job.data as CampaignSpec;
  const state = await job.getState();
  if (state === 'failed') {
    const failures = await job.getIgnoredChildrenFailures();
    const failedRanges = Object.entries(failures).map(([key, reason]) => ({ range: rangeOfKey(key), reason }));
    return { spec, failedReason: job.failedReason, failedRanges };
  }
  if (state !== 'completed') {
    throw new CliError(`campaign ${id} is not finished (${state}): see moonpool campaign status ${id}`);
  }
  const result = job.returnvalue as CampaignResult;
  const report = mergeReports([result.merged]).simulations[0]?.report;
  if (report === undefined) throw new CliError(`campaign ${id}: its merged report holds no simulation`);
  return { spec, result, report };
}

/** Writes the merged mergeable report (it merges again with `moonpool merge`, like any `--out` file). */
export async function writeReport(path: string, result: CampaignResult): Promise<void> {
  try {
    await writeFile(path, `${JSON.stringify(result.merged)}\n`);
  } catch (err) {
    throw new CliError(`cannot write ${path}: ${(err as Error).message}`);
  }
}

/** The report as `sim run --json` prints it, with the campaign's id, completeness and verdict. */
export function campaignJson(c: FinishedCampaign): object {
  if (!('result' in c)) {
    const { spec, failedReason, failedRanges } = c;
    return { campaign: spec.id, name: spec.simulation, passed: false, failedReason, failedRanges };
  }
  const { result } = c;
  return {
    ...reportToJson(c.report),
    ...(c.spec.expectFailure ? { expectFailure: true } : {}),
    campaign: c.spec.id,
    passed: result.passed,
    complete: result.failedRanges.length === 0 && result.missing.length === 0,
    failedRanges: result.failedRanges,
    missing: result.missing,
  };
}

/** The merged report for people: `sim run`'s report and reproduce commands, then what is missing. */
export function formatCampaign(c: FinishedCampaign, color: boolean): string {
  const head = `=== Campaign ${c.spec.id}: ${c.spec.simulation}, ${c.spec.seeds} seeds in ranges of ${c.spec.chunk} ===`;
  if (!('result' in c)) {
    return [head, `  FAILED: ${c.failedReason}`, ...incomplete(c.failedRanges, [])].join('\n');
  }
  const outcome = { name: c.spec.simulation, report: c.report, expectFailure: c.spec.expectFailure };
  const lines = [head, formatOutcome(outcome, color, undefined)];
  lines.push(...incomplete(c.result.failedRanges, c.result.missing));
  lines.push(`  Campaign verdict: ${c.result.passed ? 'PASS' : 'FAIL'}`);
  return lines.join('\n');
}

function incomplete(failed: readonly FailedRange[], missing: readonly string[]): string[] {
  return [
    ...failed.map((f) => `  INCOMPLETE: range ${f.range} failed: ${f.reason.split('\n')[0]}`),
    ...missing.map((m) => `  INCOMPLETE: seeds ${m} are in no report`),
  ];
}
