import { resolve } from 'node:path';
import { type Job, UnrecoverableError, WaitingError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { describeError } from '@moonpool/core';
import { type MergeableReport, MOONPOOL_VERSION } from '@moonpool/sim';
import { reproduceCommand } from '../cli/reproduce.js';
import { type CampaignResult, mergeCampaign } from './merge-job.js';
import { failingSeedsKey, firstFailureKey, KEY_PREFIX, MERGE_QUEUE, RANGES_QUEUE } from './campaign-keys.js';
import { parseRangeJob, type RangeJobData, RejectedPayload } from './payload.js';
import { RangePool } from './range-pool.js';
import type { FailingSeed } from './range-protocol.js';

/** BullMQ's lock on a running job, and how often workers look for jobs whose worker died (ms). */
const DEFAULT_LOCK_MS = 30_000;
/** Tests shorten the lock so a killed worker's job is taken over in a second or two. */
export const LOCK_MS_ENV = 'MOONPOOL_CAMPAIGN_LOCK_MS';
/** At most this many failing seeds are kept per campaign while it runs (the merged report has them all). */
const FAILING_SEEDS_KEPT = 1000;

/** The first failing seed of a campaign, as workers publish it the moment they find it. */
export interface FirstFailure extends FailingSeed {
  range: string;
  reproduce: string;
  foundAt: number;
}

export interface CampaignWorkerOptions {
  client: Redis;
  dir: string | undefined;
  concurrency: number;
  log: (line: string) => void;
  signal: AbortSignal | undefined;
}

/**
 * Takes range jobs (and merge jobs) until `signal` aborts. Each range job is validated (format,
 * range, moonpool version here; simulation and configuration fingerprint in the child) and run in a
 * child process; a job that fails validation fails with the reason and is never run.
 */
export async function runCampaignWorker(options: CampaignWorkerOptions): Promise<void> {
  const { client, log } = options;
  const dir = resolve(options.dir ?? '.');
  const pool = new RangePool(dir, (text) => log(text.replace(/\n$/, '')));
  const lockDuration = lockMs();
  const common = { connection: client, prefix: KEY_PREFIX, lockDuration, stalledInterval: lockDuration };
  const stopping = { now: false };
  const processRange = (job: Job, token?: string): Promise<MergeableReport> =>
    runRangeJob(job, token, pool, client, log, stopping);
  const ranges = new Worker(RANGES_QUEUE, processRange, {
    ...common,
    concurrency: options.concurrency,
  });
  const merges = new Worker(MERGE_QUEUE, (job: Job) => runMergeJob(job, log), { ...common, concurrency: 1 });
  for (const w of [ranges, merges]) {
    w.on('failed', (job, err) => log(`job ${job?.id ?? '?'} failed: ${err.message}`));
    w.on('stalled', (jobId) => log(`job ${jobId} had stalled (its worker stopped): back in the queue`));
    w.on('error', (err) => log(`worker error: ${describeError(err, { stack: false })}`));
  }
  log(`worker ${process.pid}: ${options.concurrency} at a time, simulations from ${dir}; waiting for jobs`);
  await new Promise<void>((done) => {
    if (options.signal === undefined) return;
    if (options.signal.aborted) done();
    else options.signal.addEventListener('abort', () => done(), { once: true });
  });
  // Jobs under way are not finished: their processes are ended and the jobs put back in the queue at
  // once, for another worker (left to lapse, they would count as stalled, which only a few may).
  log('stopping: jobs under way go back to the queue for another worker');
  stopping.now = true;
  pool.close();
  await Promise.all([ranges.close(), merges.close()]);
}

async function runRangeJob(
  job: Job,
  token: string | undefined,
  pool: RangePool,
  client: Redis,
  log: (line: string) => void,
  stopping: { now: boolean },
): Promise<MergeableReport> {
  let data: RangeJobData;
  try {
    data = parseRangeJob(job.data);
    if (data.version !== MOONPOOL_VERSION) {
      throw new RejectedPayload(`the job is for moonpool ${data.version}, this worker runs moonpool ${MOONPOOL_VERSION}`);
    }
  } catch (err) {
    throw rejected(err, job);
  }
  const started = performance.now();
  const range = `${data.from}:${data.to}`;
  let failing = 0;
  let done = 0;
  // Redis writes happen in order, and all before the job completes.
  let writes = Promise.resolve();
  const later = (write: () => Promise<unknown>): void => {
    writes = writes.then(write).then(
      () => undefined,
      (err: unknown) => log(`cannot publish progress of job ${job.id}: ${describeError(err, { stack: false })}`),
    );
  };
  try {
    const result = await pool.run(data, {
      failing(seed) {
        failing++;
        const first: FirstFailure = {
          ...seed,
          range,
          reproduce: reproduceCommand(data.simulation, BigInt(seed.seed)),
          foundAt: Date.now(),
        };
        later(() => client.set(firstFailureKey(data.campaign), JSON.stringify(first), 'NX'));
        later(async () => {
          if ((await client.hlen(failingSeedsKey(data.campaign))) < FAILING_SEEDS_KEPT) {
            await client.hset(failingSeedsKey(data.campaign), String(seed.index), seed.seed);
          }
        });
        later(() => job.updateProgress({ done, failing }));
      },
      progress(n) {
        done = n;
        later(() => job.updateProgress({ done, failing }));
      },
    });
    await writes;
    const seconds = (performance.now() - started) / 1000;
    log(`${data.campaign} seeds ${range}: done in ${seconds.toFixed(2)} s${failing > 0 ? `, ${failing} failing` : ''}`);
    return result;
  } catch (err) {
    await writes;
    if (err instanceof RejectedPayload) throw rejected(err, job);
    if (stopping.now) {
      await job.moveToWait(token);
      throw new WaitingError();
    }
    throw err;
  }
}

async function runMergeJob(job: Job, log: (line: string) => void): Promise<CampaignResult> {
  const result = await mergeCampaign(job);
  log(`${job.id}: merged ${result.iterations} seeds: ${result.passed ? 'PASS' : 'FAIL'}`);
  return result;
}

/** A refused job fails for good (never retried) with the reason. */
function rejected(err: unknown, job: Job): UnrecoverableError {
  const reason = err instanceof RejectedPayload ? err.message : describeError(err, { stack: false });
  return new UnrecoverableError(`job ${job.id} rejected, not run: ${reason}`);
}

function lockMs(): number {
  const text = process.env[LOCK_MS_ENV];
  const n = text === undefined ? DEFAULT_LOCK_MS : Number(text);
  return Number.isSafeInteger(n) && n >= 100 ? n : DEFAULT_LOCK_MS;
}
