import { writeFile } from 'node:fs/promises';
import type { Queue } from 'bullmq';
import { thousands } from '@moonpool/sim';
import { CliError } from '../cli/errors.js';
import { reproduceCommand } from '../cli/reproduce.js';
import type { CampaignResult } from './merge-job.js';
import type { CampaignSpec } from './payload.js';
import { campaignJob } from './status.js';

/** Beyond this many failing seeds the reproduce list is cut (the JSON has them all). */
const MAX_REPRODUCE_SHOWN = 20;

/** The merged result of a finished campaign; a CliError while it still runs. */
export async function campaignResult(
  merges: Queue,
  id: string,
): Promise<{ spec: CampaignSpec; result: CampaignResult }> {
  const job = await campaignJob(merges, id);
  const state = await job.getState();
  if (state === 'failed') throw new CliError(`campaign ${id} failed: ${job.failedReason}`);
  if (state !== 'completed') {
    throw new CliError(`campaign ${id} is not finished (${state}): see moonpool campaign status ${id}`);
  }
  return { spec: job.data as CampaignSpec, result: job.returnvalue as CampaignResult };
}

/** Writes the merged report as JSON (the file `moonpool merge` and other tools read). */
export async function writeReport(path: string, result: CampaignResult): Promise<void> {
  try {
    await writeFile(path, `${JSON.stringify(result.report)}\n`);
  } catch (err) {
    throw new CliError(`cannot write ${path}: ${(err as Error).message}`);
  }
}

/** The merged report for people: verdict, counts, failing seeds with their reproduce commands. */
export function formatCampaignReport(spec: CampaignSpec, result: CampaignResult): string {
  const r = result.report;
  const lines = [
    `=== Campaign Report: ${spec.id} ===`,
    `  Simulation: ${spec.simulation}  |  Seeds: ${thousands(spec.seeds)} in ranges of ${thousands(spec.chunk)}`,
    `  Iterations: ${thousands(r.iterations)}  |  Passed: ${thousands(r.successfulRuns)}  |  Failed: ${thousands(r.failedRuns)}`,
    `  Verdict: ${result.passed ? 'PASS' : 'FAIL'}${spec.expectFailure ? ' (the simulation demonstrates a bug: a failing seed is expected)' : ''}`,
  ];
  if (r.alwaysViolations.length > 0) lines.push(`  Always violations: ${r.alwaysViolations.join('; ')}`);
  for (const f of result.failedRanges) lines.push(`  INCOMPLETE: range ${f.range} failed: ${f.reason.split('\n')[0]}`);
  for (const m of result.missing) lines.push(`  INCOMPLETE: seeds ${m} are in no report`);
  if (r.seedsFailing.length > 0) {
    lines.push(`--- Reproduce (${r.seedsFailing.length}) ---`);
    for (const seed of r.seedsFailing.slice(0, MAX_REPRODUCE_SHOWN)) {
      lines.push(`  ${reproduceCommand(spec.simulation, BigInt(seed))}`);
    }
    const more = r.seedsFailing.length - MAX_REPRODUCE_SHOWN;
    if (more > 0) lines.push(`  … +${more} more failing seeds: --json lists them all`);
  }
  return lines.join('\n');
}
