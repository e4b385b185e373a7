import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { reportSucceeded } from 'moonpool';
import { httpServiceBuggy, httpService, httpServiceSimulation } from '../src/http-service/http-service.sim.js';

const SEED = 7n;
/** Far beyond the child's second or so of work: reaching it means something kept the process alive. */
const CHILD_LIMIT_MS = 20_000;

interface SeedRun {
  seed: string;
  ok: boolean | undefined;
  traceHash: string | undefined;
  events: number | undefined;
}

async function runSeed(seed: bigint): Promise<SeedRun> {
  const run = (await httpServiceSimulation().setDebugSeeds([seed]).run()).runs[0];
  return { seed: String(seed), ok: run?.ok, traceHash: run?.traceHash, events: run?.events };
}

/** The same seed in a fresh node process, which must exit by itself: no real timer keeps it alive. */
async function runSeedInChild(seed: bigint): Promise<SeedRun & { realTimers: number }> {
  const script = fileURLToPath(new URL('../src/http-service/print-trace-hash.js', import.meta.url));
  const child = promisify(execFile)(process.execPath, [script, String(seed)], {
    timeout: CHILD_LIMIT_MS,
    env: { ...process.env, MOONPOOL_TRACE: '' },
  });
  const { stdout } = await child.catch((err: unknown) => {
    throw new Error(`the child did not exit cleanly within ${CHILD_LIMIT_MS} ms (a live real timer?)`, { cause: err });
  });
  return JSON.parse(stdout) as SeedRun & { realTimers: number };
}

describe('http-service', () => {
  it('passes under chaos, exercising 503s, timeouts, reboots and reads after writes', async () => {
    const report = await httpService.build().setIterations(6).run();
    assert.ok(reportSucceeded(report), `failing seeds: ${report.seedsFailing.join(', ')}`);
    const byMsg = new Map(report.assertions.map((a) => [a.msg, a]));
    for (const msg of ['every 200 GET returns a possible value', 'every 404 GET is possible', 'responses are well-formed JSON']) {
      assert.ok((byMsg.get(msg)?.passCount ?? 0) > 0, `${msg} never checked`);
    }
    for (const msg of ['saw 503', 'request timed out and retried', 'get after put returns it', 'an item was lost in a reboot']) {
      assert.equal(byMsg.get(msg)?.status, 'pass', `${msg} never happened`);
    }
  });

  it('passes with a random network configuration per seed (partitions, clogs)', async () => {
    const report = await httpServiceSimulation({ randomNetwork: true }).setIterations(3).run();
    assert.ok(reportSucceeded(report), `failing seeds: ${report.seedsFailing.join(', ')}`);
  });

  it('gives the same trace hash for a seed twice in one process', async () => {
    const first = await runSeed(SEED);
    assert.equal(first.ok, true);
    assert.deepEqual(await runSeed(SEED), first);
  });

  it('gives the same trace hash for a seed in a fresh process, which starts no real timer and exits', async () => {
    // Fresh, so no earlier run in this process has warmed a cache that would hide a timer.
    const { realTimers, ...child } = await runSeedInChild(SEED);
    assert.equal(realTimers, 0, 'node:http started a real timer');
    assert.deepEqual(child, await runSeed(SEED));
  });

  it('catches the write-behind bug', async () => {
    const report = await httpServiceBuggy.build().setIterations(3).run();
    assert.ok(report.failedRuns > 0, 'the seeded bug was not found');
    assert.ok(report.alwaysViolations.some((v) => /possible/.test(v)), report.alwaysViolations.join('; '));
  });
});
