import { type Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { thousands } from '@moonpool/sim';
import { CliError } from '../cli/errors.js';
import { chunkRanges, failingSeedsKey, firstFailureKey, KEY_PREFIX, MERGE_QUEUE, RANGES_QUEUE } from './campaign-keys.js';
import { type CampaignResult, rangeOfKey } from './merge-job.js';
import type { CampaignSpec } from './payload.js';
import type { FirstFailure } from './worker.js';

/** Where a campaign stands, as `campaign status` shows it (and prints with --json). */
export interface CampaignStatus {
  id: string;
  simulation: string;
  version: string;
  seeds: number;
  chunk: number;
  /** waiting (ranges to run), merging, completed (merged), failed (the merge job failed). */
  state: 'running' | 'merging' | 'completed' | 'failed';
  ranges: { total: number; done: number; running: number; waiting: number; failed: number };
  seedsDone: number;
  seedsPerSecond: number;
  elapsedSeconds: number;
  failingSeedsSoFar: number;
  firstFailure: FirstFailure | null;
  failedRanges: { range: string; reason: string }[];
  /** Set once merged: whether the campaign passed. */
  passed?: boolean;
  /** Set when the merge job itself failed. */
  failedReason?: string;
}

/** Opens the campaign's queues on `client` (closing them leaves the shared client open). */
export function campaignQueues(client: Redis): { merges: Queue; ranges: Queue; close: () => Promise<void> } {
  const merges = new Queue(MERGE_QUEUE, { connection: client, prefix: KEY_PREFIX });
  const ranges = new Queue(RANGES_QUEUE, { connection: client, prefix: KEY_PREFIX });
  return { merges, ranges, close: async () => void (await Promise.all([merges.close(), ranges.close()])) };
}

/** The campaign's merge job, or a CliError when there is no such campaign. */
export async function campaignJob(merges: Queue, id: string): Promise<Job> {
  const job = await merges.getJob(id);
  if (job === undefined) throw new CliError(`no campaign '${id}' in this Redis (campaign status lists them)`);
  return job;
}

export async function campaignStatus(
  client: Redis,
  merges: Queue,
  ranges: Queue,
  id: string,
): Promise<CampaignStatus> {
  const state = await (await campaignJob(merges, id)).getState();
  // Fetched after its state: a job read before it completed has no return value, though its state says so.
  const job = await campaignJob(merges, id);
  const spec = job.data as CampaignSpec;
  const total = chunkRanges(spec.seeds, spec.chunk).length;
  const doneKeys = await client.hkeys(merges.toKey(`${id}:processed`));
  const failures = await job.getIgnoredChildrenFailures();
  const active = (await ranges.getActive()).filter((j) => (j.data as { campaign?: unknown }).campaign === id);
  const seedsOf = (range: string): number => {
    const [from, to] = range.split(':').map(Number);
    return (to ?? 0) - (from ?? 0);
  };
  let seedsDone = doneKeys.reduce((n, key) => n + seedsOf(rangeOfKey(key)), 0);
  for (const j of active) seedsDone += progressDone(j.progress);
  const result = state === 'completed' ? (job.returnvalue as CampaignResult) : undefined;
  if (result !== undefined) seedsDone = result.iterations;
  const end = job.finishedOn ?? Date.now();
  const elapsedSeconds = Math.max(0, (end - spec.createdAt) / 1000);
  const first = await client.get(firstFailureKey(id));
  const failed = Object.keys(failures).length;
  const done = state === 'completed' || state === 'failed' ? total - failed : doneKeys.length;
  const status: CampaignStatus = {
    id,
    simulation: spec.simulation,
    version: spec.version,
    seeds: spec.seeds,
    chunk: spec.chunk,
    state: state === 'completed' ? 'completed' : state === 'failed' ? 'failed' : state === 'waiting-children' ? 'running' : 'merging',
    ranges: { total, done, running: active.length, waiting: waitingOf(total, done, active.length, failed), failed },
    seedsDone,
    seedsPerSecond: elapsedSeconds > 0 ? seedsDone / elapsedSeconds : 0,
    elapsedSeconds,
    failingSeedsSoFar: result?.failedRuns ?? (await client.hlen(failingSeedsKey(id))),
    firstFailure: first === null ? null : (JSON.parse(first) as FirstFailure),
    failedRanges: Object.entries(failures).map(([key, reason]) => ({ range: rangeOfKey(key), reason })),
  };
  if (result !== undefined) status.passed = result.passed;
  if (state === 'failed') status.failedReason = job.failedReason;
  return status;
}

/** The campaigns this Redis holds, newest first. */
export async function listCampaigns(merges: Queue): Promise<{ spec: CampaignSpec; state: string }[]> {
  const jobs = await merges.getJobs(['waiting-children', 'waiting', 'active', 'completed', 'failed']);
  const out = await Promise.all(jobs.map(async (j) => ({ spec: j.data as CampaignSpec, state: await j.getState() })));
  return out.sort((a, b) => b.spec.createdAt - a.spec.createdAt);
}

export function formatStatus(s: CampaignStatus): string {
  const r = s.ranges;
  const pct = s.seeds > 0 ? ((s.seedsDone / s.seeds) * 100).toFixed(1) : '0.0';
  const lines = [
    `campaign ${s.id}: ${s.simulation}, ${thousands(s.seeds)} seeds in ${r.total} ranges of ${thousands(s.chunk)} (moonpool ${s.version})`,
    `  state: ${s.state}${s.passed === undefined ? '' : s.passed ? ' — PASS' : ' — FAIL'}`,
    `  ranges: ${r.done} done, ${r.running} running, ${r.waiting} waiting, ${r.failed} failed`,
    `  seeds: ${thousands(s.seedsDone)}/${thousands(s.seeds)} (${pct}%), ${thousands(Math.round(s.seedsPerSecond))} seeds/s over ${s.elapsedSeconds.toFixed(1)} s`,
    `  failing seeds so far: ${thousands(s.failingSeedsSoFar)}`,
  ];
  const f = s.firstFailure;
  if (f !== null) {
    lines.push(`  first failing seed: ${f.seed} (index ${f.index}, range ${f.range})`);
    lines.push(`    reproduce: ${f.reproduce}`);
    lines.push(`    ${f.error.split('\n')[0]}`);
  }
  for (const { range, reason } of s.failedRanges) lines.push(`  FAILED range ${range}: ${reason.split('\n')[0]}`);
  if (s.failedReason !== undefined) lines.push(`  merge failed: ${s.failedReason}`);
  if (s.state === 'completed') lines.push(`  merged: moonpool campaign report ${s.id}`);
  return lines.join('\n');
}

/** Ranges neither done, running nor failed. */
function waitingOf(total: number, done: number, running: number, failed: number): number {
  return Math.max(0, total - done - running - failed);
}

function progressDone(progress: unknown): number {
  const done = (progress as { done?: unknown } | null)?.done;
  return typeof done === 'number' ? done : 0;
}
