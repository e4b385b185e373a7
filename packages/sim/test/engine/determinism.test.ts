import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import { determinismHashes, type SeedHash } from '../support/determinism-sim.js';

const ITERATIONS = 200;
const supportScript = (name: string): string =>
  fileURLToPath(new URL(`../support/${name}`, import.meta.url));

function runInFreshProcess(): Promise<SeedHash[]> {
  return promisify(execFile)(
    process.execPath,
    [supportScript('determinism-child.js'), '--print-hashes', String(ITERATIONS)],
    { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, MOONPOOL_TRACE: '' } },
  ).then(({ stdout }) => JSON.parse(stdout) as SeedHash[]);
}

function runInWorker(): Promise<SeedHash[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(supportScript('determinism-worker.js'), {
      workerData: { iterations: ITERATIONS },
    });
    let result: SeedHash[] | null = null;
    worker.once('message', (m: SeedHash[]) => {
      result = m;
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (result !== null) resolve(result);
      else reject(new Error(`worker exited with code ${code} and no result`));
    });
  });
}

describe('determinism: same seed, same execution', () => {
  let reference: SeedHash[] = [];

  before(async () => {
    reference = await determinismHashes(ITERATIONS);
  });

  it('the busy simulation is valid: every iteration succeeds and does real work', () => {
    assert.equal(reference.length, ITERATIONS);
    const failures = reference.filter((r) => !r.ok).map((r) => `${r.seed}: ${r.error}`);
    assert.deepEqual(failures, []);
    const events = reference.map((r) => r.events);
    assert.ok(Math.min(...events) >= 50, `min events ${Math.min(...events)}`);
    // Every ingredient shows up somewhere in the 200 iterations.
    const all = reference.map((r) => r.features).join(' ');
    for (const ingredient of [
      'faults=ProcessForceKill+ProcessRestart',
      'faults=ProcessGracefulShutdown+ProcessRestart',
      'faults=ProcessGracefulShutdown+ProcessForceKill+ProcessRestart',
      'timeouts=in-time+timed-out',
      'races=a+b+c',
    ]) {
      assert.ok(all.includes(ingredient), `no iteration shows ${ingredient}`);
    }
    // Each iteration reboots a process exactly once.
    for (const r of reference) assert.match(r.features, /faults=\S*ProcessRestart /);
  });

  it('different seeds give different hashes (all distinct)', () => {
    assert.equal(new Set(reference.map((r) => r.seed)).size, ITERATIONS);
    assert.equal(new Set(reference.map((r) => r.hash)).size, ITERATIONS);
  });

  it('gives identical hashes when run twice in one process', async () => {
    const again = await determinismHashes(ITERATIONS);
    assert.deepEqual(again, reference);
  });

  it('gives identical hashes in a fresh process', async () => {
    assert.deepEqual(await runInFreshProcess(), reference);
  });

  it('gives identical hashes in a worker thread', async () => {
    assert.deepEqual(await runInWorker(), reference);
  });
});
