// Campaign throughput on this machine (docs/campaigns.md): a real redis-server, 1, 2 and 4 local
// worker processes, against one `sim run` of the same seeds in the same run; and the overhead of one
// job (a campaign of one-seed jobs against one job of all the seeds). Needs /usr/bin/redis-server.
// Wall-clock times on a shared 2-core machine are noisy, so CPU seconds (of the command, or of every
// worker process and its children) are measured too: they say what a campaign costs over `sim run`.
// `node scripts/bench-campaign.js` (after `npm run build`); BENCH_SIM, BENCH_SEEDS, BENCH_CHUNK change the load.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { campaignQueues, campaignStatus } from '../packages/moonpool/dist/src/campaign/status.js';

const CLI = fileURLToPath(new URL('../packages/moonpool/dist/src/cli/main.js', import.meta.url));
const EXAMPLES = fileURLToPath(new URL('../examples/', import.meta.url));
const SIM = process.env.BENCH_SIM ?? 'lease';
const SEEDS = Number(process.env.BENCH_SEEDS ?? 600);
const CHUNK = Number(process.env.BENCH_CHUNK ?? 50);
const OVERHEAD_SIM = 'maze';
const OVERHEAD_SEEDS = 200;

if (!existsSync('/usr/bin/redis-server')) {
  console.error('bench-campaign: /usr/bin/redis-server is missing (Debian package redis-server): skipped');
  process.exit(0);
}

const port = await freePort();
const dir = await mkdtemp(join(tmpdir(), 'moonpool-bench-redis-'));
const redisServer = spawn('/usr/bin/redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
const url = `redis://127.0.0.1:${port}`;
await new Promise((r) => setTimeout(r, 300));
const client = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: null });
const queues = campaignQueues(client);

try {
  console.log(`(campaign) ${SIM}: ${SEEDS} seeds in jobs of ${CHUNK}; load average before: ${loadavg()[0].toFixed(1)} (2 cores)`);
  const single = singleRun(SIM, SEEDS);
  console.log(
    `    one sim run: ${single.wallS.toFixed(2)} s whole process (${(SEEDS / single.wallS).toFixed(0)} seeds/s), ` +
      `${single.cpuS.toFixed(2)} CPU s`,
  );
  for (const workers of process.env.BENCH_SKIP_WORKERS ? [] : [1, 2, 4]) {
    const c = await campaign(SIM, SEEDS, CHUNK, workers);
    const same = c.hashes === single.hashes ? 'same seeds and hashes' : 'DIFFERENT seeds or hashes';
    console.log(
      `    ${workers} worker${workers === 1 ? ' ' : 's'}: ${c.seconds.toFixed(2)} s, ${(SEEDS / c.seconds).toFixed(0)} seeds/s, ` +
        `${(single.wallS / c.seconds).toFixed(2)}x one sim run; workers' CPU ${c.cpuS.toFixed(2)} s ` +
        `(${(c.cpuS / single.cpuS).toFixed(2)}x sim run's) (${same})`,
    );
    if (c.hashes !== single.hashes) process.exitCode = 1;
  }
  // The stall watchdog starts a thread per run, so per job: measured with it (the default) and without.
  for (const extra of [[], ['--stall-timeout', '0']]) {
    const one = await campaign(OVERHEAD_SIM, OVERHEAD_SEEDS, OVERHEAD_SEEDS, 1, extra);
    const many = await campaign(OVERHEAD_SIM, OVERHEAD_SEEDS, 1, 1, extra);
    const perJob = ((many.seconds - one.seconds) / (OVERHEAD_SEEDS - 1)) * 1000;
    console.log(
      `    overhead per job (1 worker, ${OVERHEAD_SIM} ${OVERHEAD_SEEDS} seeds${extra.length > 0 ? `, ${extra.join(' ')}` : ''}): ` +
        `1 job ${one.seconds.toFixed(2)} s, ${OVERHEAD_SEEDS} one-seed jobs ${many.seconds.toFixed(2)} s: ${perJob.toFixed(1)} ms per job`,
    );
  }
  console.log(`    load average after: ${loadavg()[0].toFixed(1)}`);
} finally {
  await queues.close();
  client.disconnect();
  redisServer.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
}

function singleRun(sim, seeds) {
  const cpuBefore = childrenCpuS(process.pid);
  const started = performance.now();
  const out = spawnSync(process.execPath, [CLI, 'sim', 'run', sim, '--iterations', String(seeds), '--json'], { cwd: EXAMPLES, encoding: 'utf8', maxBuffer: 1 << 28 });
  const wallS = (performance.now() - started) / 1000;
  return { wallS, cpuS: childrenCpuS(process.pid) - cpuBefore, hashes: hashesOf(JSON.parse(out.stdout)) };
}

/** Seconds from the campaign's start to its merged report, with `workers` worker processes already waiting. */
async function campaign(sim, seeds, chunk, workers, extra = []) {
  const procs = [];
  for (let i = 0; i < workers; i++) procs.push(startWorker());
  await Promise.all(procs.map((p) => p.ready));
  const cpuBefore = procs.reduce((s, p) => s + treeCpuS(p.child.pid), 0);
  const start = spawnSync(process.execPath, [CLI, 'campaign', 'start', sim, '--redis', url, '--seeds', String(seeds), '--chunk', String(chunk), ...extra], { cwd: EXAMPLES, encoding: 'utf8' });
  if (start.status !== 0) throw new Error(start.stderr);
  const id = start.stdout.trim();
  let status;
  for (;;) {
    status = await campaignStatus(client, queues.merges, queues.ranges, id);
    if (status.state === 'completed' || status.state === 'failed') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const cpuS = procs.reduce((s, p) => s + treeCpuS(p.child.pid), 0) - cpuBefore;
  for (const p of procs) p.child.kill('SIGTERM');
  await Promise.all(procs.map((p) => p.exited));
  const report = spawnSync(process.execPath, [CLI, 'campaign', 'report', '--redis', url, id, '--json'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return { seconds: status.elapsedSeconds, cpuS, hashes: hashesOf(JSON.parse(report.stdout)) };
}

function startWorker() {
  const child = spawn(process.execPath, [CLI, 'campaign', 'worker', '--redis', url], { cwd: EXAMPLES, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  const ready = new Promise((resolve) => {
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      err += chunk;
      if (err.includes('waiting for jobs')) resolve();
    });
  });
  const exited = new Promise((resolve) => child.on('close', resolve));
  return { child, ready, exited };
}

function hashesOf(report) {
  return report.runs.map((r) => `${r.seed}:${r.traceHash}`).join(',');
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port: p } = server.address();
      server.close(() => resolve(p));
    });
  });
}

/** CPU seconds of a process and its descendants, live or reaped (Linux /proc; clock ticks of 1/100 s). */
function treeCpuS(pid) {
  const stat = procStat(pid);
  if (stat === null) return 0;
  const own = (stat[11] + stat[12] + stat[13] + stat[14]) / 100;
  return own + childPids(pid).reduce((s, c) => s + treeCpuS(c), 0);
}

/** CPU seconds of the reaped children of `pid` (what a finished spawnSync adds). */
function childrenCpuS(pid) {
  const stat = procStat(pid);
  return stat === null ? 0 : (stat[13] + stat[14]) / 100;
}

/** /proc/<pid>/stat's fields after the command name, as numbers (index 11: utime … 14: cstime). */
function procStat(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ').map(Number);
  } catch {
    return null;
  }
}

function childPids(pid) {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((t) =>
      readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').trim().split(' ').filter(Boolean).map(Number),
    );
  } catch {
    return [];
  }
}
