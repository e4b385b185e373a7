// Campaigns end to end: real `moonpool campaign` processes against a real redis-server (with a
// password, so every test also checks that it is never printed or written).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { FlowProducer } from 'bullmq';
import { Redis } from 'ioredis';
import { MOONPOOL_VERSION, parseMergeableReport } from '@moonpool/sim';
import { KEY_PREFIX, MERGE_QUEUE, RANGES_QUEUE } from '../../src/campaign/campaign-keys.js';
import { campaignQueues, campaignStatus } from '../../src/campaign/status.js';
import { cli } from '../support/run-cli.js';
import { freePort, redisMissing, type RedisServer, startRedisServer } from '../support/redis-server.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const SIMS = fileURLToPath(new URL('../../../test/fixtures/.campaign', import.meta.url));
const PASSWORD = 'pw-Zq81-never-shown';

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function spawnMoonpool(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [MAIN, ...args], {
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return { process: child, stdout: () => stdout, stderr: () => stderr };
}

/** A worker process; `stop()` ends it with SIGTERM and returns what it printed. */
function startWorker(url: string, env: Record<string, string> = {}, concurrency = 1) {
  const w = spawnMoonpool(['campaign', 'worker', '--redis', url, '--dir', SIMS, '--concurrency', String(concurrency)], {
    MOONPOOL_CAMPAIGN_LOCK_MS: '1000',
    ...env,
  });
  const exited = new Promise<number | null>((resolve) => w.process.on('close', (code) => resolve(code)));
  return {
    ...w,
    async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<string> {
      if (w.process.exitCode === null && w.process.signalCode === null) w.process.kill(signal);
      await exited;
      return w.stderr();
    },
  };
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

type Status = Awaited<ReturnType<typeof campaignStatus>>;

const missing = redisMissing();

describe('moonpool campaign', { skip: missing ?? false }, () => {
  let redis: RedisServer;
  const workers: ReturnType<typeof startWorker>[] = [];
  const everything: string[] = [];
  // Commands run in this process (a process start costs more than most of them); workers are processes.
  const run = async (args: string[]): Promise<Result> => {
    const r = await cli(args);
    everything.push(r.stdout, r.stderr);
    return r;
  };
  // Polled in this process (a command per poll would cost a process start each time).
  let client: Redis;
  let queues: ReturnType<typeof campaignQueues>;
  const status = async (id: string): Promise<Status> => campaignStatus(client, queues.merges, queues.ranges, id);
  const finished = (id: string): Promise<Status> =>
    waitFor(`campaign ${id} to finish`, async () => {
      const s = await status(id);
      return s.state === 'completed' || s.state === 'failed' ? s : undefined;
    });

  before(async () => {
    redis = await startRedisServer(PASSWORD);
    client = new Redis(redis.port, '127.0.0.1', { password: PASSWORD, maxRetriesPerRequest: null });
    queues = campaignQueues(client);
    // Started now, so that their start-up overlaps the first test's set-up.
    workers.push(startWorker(redis.url), startWorker(redis.url));
  });

  after(async () => {
    await queues?.close();
    client?.disconnect();
    for (const w of workers) everything.push(await w.stop('SIGKILL'));
    await redis?.stop();
    // Whatever any command printed, the password never appeared in it.
    for (const text of everything) assert.ok(!text.includes(PASSWORD), `the password was printed:\n${text}`);
  });

  it('a campaign run by 2 workers equals one sim run of the same seeds', async () => {
    const started = await run(['campaign', 'start', 'campaign-coin', '--redis', redis.url, '--seeds', '40', '--chunk', '10', '--dir', SIMS]);
    assert.equal(started.code, 0, started.stderr);
    const id = started.stdout.trim();
    assert.match(started.stderr, /4 ranges/);
    assert.match(started.stderr, /redis:\/\/:\*\*\*@127\.0\.0\.1/);
    const s = await finished(id);
    assert.equal(s.state, 'completed');
    assert.deepEqual(s.ranges, { total: 4, done: 4, running: 0, waiting: 0, failed: 0 });
    assert.ok(s.firstFailure !== null, 'the first failing seed is published');
    assert.match(s.firstFailure.reproduce, /^npx moonpool sim run campaign-coin --seed [0-9]+$/);

    const dir = await mkdtemp(join(tmpdir(), 'moonpool-campaign-'));
    try {
      const out = join(dir, 'merged.json');
      const report = await run(['campaign', 'report', '--redis', redis.url, id, '--out', out, '--json']);
      const single = await run(['sim', 'run', 'campaign-coin', '--iterations', '40', '--dir', SIMS, '--json']);
      assert.equal(report.code, single.code, 'the same verdict (exit code) as sim run');
      assert.equal(report.code, 1, 'seeds fail');
      const fileText = await readFile(out, 'utf8');
      everything.push(fileText);
      const part = parseMergeableReport(fileText).simulations[0];
      assert.deepEqual([part?.name, part?.from, part?.to, part?.total], ['campaign-coin', 0, 40, 40]);
      const merged = JSON.parse(report.stdout) as Record<string, unknown>;
      const expected = JSON.parse(single.stdout) as Record<string, unknown>;
      const keys = ['iterations', 'successfulRuns', 'failedRuns', 'seedsUsed', 'seedsFailing', 'alwaysViolations', 'assertions'];
      for (const key of keys) assert.deepEqual(merged[key], expected[key], key);
      const hashes = (r: Record<string, unknown>) =>
        (r.runs as { seed: string; traceHash: string }[]).map((x) => `${x.seed}:${x.traceHash}`);
      assert.deepEqual(hashes(merged), hashes(expected));
      assert.equal(merged.complete, true);
      // The --out file is a mergeable report like any shard's: moonpool merge reads it.
      const remerged = await run(['merge', out, '--json']);
      assert.equal(remerged.code, 1, remerged.stderr);
      assert.deepEqual(hashes(JSON.parse(remerged.stdout) as Record<string, unknown>), hashes(expected));
      assert.ok((expected.seedsFailing as string[]).includes(s.firstFailure.seed));
      const text = await run(['campaign', 'report', '--redis', redis.url, id]);
      assert.match(text.stdout, /Campaign verdict: FAIL/);
      assert.match(text.stdout, /npx moonpool sim run campaign-coin --seed [0-9]+/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a worker killed mid-job leaves a stalled job that another worker completes, every seed counted once', async () => {
    // One worker of the test above stops, so that the other, doomed, takes the job.
    const [doomed, other] = workers.splice(0);
    assert.ok(doomed !== undefined && other !== undefined);
    everything.push(await other.stop());
    const started = await run(['campaign', 'start', 'campaign-slow', '--redis', redis.url, '--seeds', '12', '--chunk', '6', '--dir', SIMS]);
    assert.equal(started.code, 0, started.stderr);
    const id = started.stdout.trim();
    // Seed 1 fails: it is published while its range still runs (and that run will never finish).
    const early = await waitFor('the first failing seed, mid-range', async () => {
      const s = await status(id);
      return s.firstFailure !== null ? s : undefined;
    });
    assert.equal(early.ranges.done, 0);
    assert.equal(early.ranges.running, 1);
    assert.equal(early.firstFailure?.range, '0:6');
    assert.match(early.firstFailure?.reproduce ?? '', /^npx moonpool sim run campaign-slow --seed [0-9]+$/);
    everything.push(await doomed.stop('SIGKILL'));
    const rescuer = startWorker(redis.url);
    workers.push(rescuer);
    const s = await finished(id);
    assert.equal(s.state, 'completed');
    assert.deepEqual(s.failedRanges, []);
    assert.deepEqual(s.ranges, { total: 2, done: 2, running: 0, waiting: 0, failed: 0 });
    const log = rescuer.stderr();
    assert.match(log, /stalled/);
    const report = await run(['campaign', 'report', '--redis', redis.url, id, '--json']);
    const single = await run(['sim', 'run', 'campaign-slow', '--iterations', '12', '--dir', SIMS, '--json']);
    assert.equal(report.code, single.code);
    type Runs = { iterations: number; failedRuns: number; runs: { seed: string; traceHash: string }[] };
    const merged = JSON.parse(report.stdout) as Runs;
    const expected = JSON.parse(single.stdout) as Runs;
    assert.equal(merged.iterations, 12);
    assert.equal(merged.failedRuns, expected.failedRuns);
    const seeds = (r: Runs) => r.runs.map((x) => `${x.seed}:${x.traceHash}`);
    assert.deepEqual(seeds(merged), seeds(expected), 'each seed exactly once, in order');
  });

  it('rejects bad payloads with the reason and never runs them', async () => {
    const flow = new FlowProducer({ connection: client, prefix: KEY_PREFIX });
    const id = 'campaign-coin-20000101t000000-0bad';
    const good = {
      format: 'moonpool-range/1',
      campaign: id,
      simulation: 'campaign-coin',
      version: MOONPOOL_VERSION,
      fingerprint: 'f'.repeat(64),
      seeds: 10,
      from: 0,
      to: 5,
      baseSeed: null,
      checkDeterminism: false,
      stallTimeoutSeconds: 60,
    };
    const bad = {
      version: { ...good, version: '0.0.0-elsewhere' },
      range: { ...good, from: 5, to: 50 },
      simulation: { ...good, simulation: 'no-such-sim' },
      fingerprint: { ...good },
      shape: { format: 'moonpool-range/1', campaign: id },
    };
    await flow.add({
      name: 'merge',
      queueName: MERGE_QUEUE,
      opts: { jobId: id },
      data: { ...good, format: 'moonpool-campaign/1', id, chunk: 5, expectFailure: false, createdAt: Date.now() },
      children: Object.entries(bad).map(([name, data], i) => ({
        name: 'range',
        queueName: RANGES_QUEUE,
        data,
        opts: { jobId: `${id}.${i}-${i + 1}-${name}`, ignoreDependencyOnFailure: true },
      })),
    });
    await flow.close();
    const w = workers[0];
    assert.ok(w !== undefined, 'the rescuer of the test above');
    const s = await finished(id);
    const reasons = s.failedRanges.map((f) => f.reason).join('\n');
    assert.equal(s.failedRanges.length, 5, reasons);
    assert.match(reasons, /moonpool 0\.0\.0-elsewhere, this worker runs moonpool/);
    assert.match(reasons, /seed range 5:50 is not within the campaign's 0:10/);
    assert.match(reasons, /no simulation named 'no-such-sim'/);
    assert.match(reasons, /configuration of 'campaign-coin' here differs from the campaign's/);
    assert.match(reasons, /'simulation' must be a non-empty string|'seeds' must be an integer/);
    assert.doesNotMatch(w.stderr(), new RegExp(`${id} seeds .* done in`), 'no range ran');
    const report = await run(['campaign', 'report', '--redis', redis.url, id]);
    assert.equal(report.code, 1, 'a campaign whose ranges all failed fails');
    assert.match(report.stdout, /FAILED: no range of the campaign completed/);
    assert.match(report.stdout, /INCOMPLETE: range .* rejected, not run/);
    const shown = await run(['campaign', 'status', '--redis', redis.url, id]);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /FAILED range .*rejected, not run/);
  });

  it('never shows the password, and fails fast (exit 2) when Redis cannot be reached or refuses it', async () => {
    const wrong = redis.url.replace(encodeURIComponent(PASSWORD), 'not-the-pw-Zq81');
    const refused = await run(['campaign', 'status', '--redis', wrong]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:[0-9]+: WRONGPASS/);
    assert.ok(!refused.stderr.includes('not-the-pw-Zq81'));
    const port = await freePort();
    const t0 = Date.now();
    const down = await run(['campaign', 'status', '--redis', `redis://user:${PASSWORD}@127.0.0.1:${port}`]);
    assert.equal(down.code, 2);
    assert.match(down.stderr, /cannot reach Redis at redis:\/\/user:\*\*\*@127\.0\.0\.1:[0-9]+: .*ECONNREFUSED/);
    assert.ok(Date.now() - t0 < 10_000, 'no hang');
    const bad = await run(['campaign', 'status', '--redis', `http://user:${PASSWORD}@host`]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /must start with redis:\/\/ or rediss:\/\//);
    const listed = await run(['campaign', 'status', '--redis', redis.url]);
    assert.equal(listed.code, 0);
    assert.match(listed.stdout, /campaign-coin-/);
  });
});
