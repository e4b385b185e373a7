// A campaign worker's child process: runs range jobs one at a time, off the worker's event loop (so
// BullMQ keeps renewing the job's lock however long a seed computes) and in a process of its own (so
// the stall watchdog, which ends its process, takes down only this child, not the worker).
import { resolve } from 'node:path';
import { describeError } from '@moonpool/core';
import { type DiscoveredSimulation, discoverNamed } from '../cli/discover.js';
import type { RangeJobData } from './payload.js';
import type { RangeMessage, RunRequest } from './range-protocol.js';
import { campaignFingerprint, runRange } from './range-run.js';

/** Progress messages at most this often: each becomes a Redis write. */
const PROGRESS_MS = 250;
/** How often a running range checks that the worker still exists (an orphan must not compute on). */
const PARENT_CHECK_MS = 1000;

const parentPid = process.ppid;
const send = (message: RangeMessage): void => {
  process.send?.(message);
};

// The worker went away while this child was idle: nothing left to do.
process.on('disconnect', () => process.exit(0));

process.on('message', (message: RunRequest) => {
  void handle(message).catch((err: unknown) => send({ kind: 'error', message: describeError(err) }));
});

const found = new Map<string, DiscoveredSimulation | null>();

async function handle({ job, dir }: RunRequest): Promise<void> {
  const sim = await simulationNamed(dir, job.simulation);
  if (sim === null) {
    send({ kind: 'rejected', reason: `this worker has no simulation named '${job.simulation}' under ${dir}` });
    return;
  }
  const fingerprint = campaignFingerprint(sim, job) ?? 'none (its iterations are not a fixed count)';
  if (fingerprint !== job.fingerprint) {
    send({
      kind: 'rejected',
      reason:
        `the configuration of '${job.simulation}' here differs from the campaign's (fingerprint ${fingerprint.slice(0, 12)}… ` +
        `here, ${job.fingerprint.slice(0, 12)}… in the job): the worker's build differs from the one that started the campaign`,
    });
    return;
  }
  await run(sim, job);
}

async function run(sim: DiscoveredSimulation, job: RangeJobData): Promise<void> {
  let done = 0;
  let reportedAt = performance.now();
  let checkedAt = reportedAt;
  const result = await runRange(sim, job, job.from, job.to, (iteration, index) => {
    done++;
    if (!iteration.ok) {
      send({ kind: 'failing', index, seed: iteration.seed.toString(), error: iteration.error ?? 'failed' });
    }
    const now = performance.now();
    if (now - reportedAt >= PROGRESS_MS) {
      reportedAt = now;
      send({ kind: 'progress', done });
    }
    if (now - checkedAt >= PARENT_CHECK_MS) {
      checkedAt = now;
      exitIfOrphaned();
    }
  });
  send({ kind: 'done', result });
}

/** The worker was killed (SIGKILL leaves no time to tell us): its job goes to another worker, so stop. */
function exitIfOrphaned(): void {
  try {
    process.kill(parentPid, 0);
  } catch {
    process.exit(0);
  }
}

async function simulationNamed(dir: string, name: string): Promise<DiscoveredSimulation | null> {
  const key = `${dir}\0${name}`;
  if (!found.has(key)) {
    const sims = await discoverNamed(resolve(dir), name);
    found.set(key, sims.find((s) => s.definition.name === name) ?? null);
  }
  return found.get(key) ?? null;
}
