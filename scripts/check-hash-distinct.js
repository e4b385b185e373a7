// Distinct executions give distinct trace hashes: over 100 000 executions (seeds of every bundled
// simulation, each simulation from its own base seed, and every root and bug timeline of the two
// explorers, shipped configurations) must give as many hashes. Jobs run in worker threads, one per
// core. Runnable alone (after `npm run build`), also part of `npm run bench`:
//   node scripts/check-hash-distinct.js [--scale 0.1]   (--scale: fraction of the seeds per simulation)
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import {
  collisions,
  EXPLORERS,
  explorationHashes,
  FULL_SEEDS,
  seedHashes,
} from '../examples/dist/test/support/hash-distinctness.js';

const self = fileURLToPath(import.meta.url);

/** One job in a worker: a simulation's seeds, or an explorer's roots and bug timelines. */
async function job({ name, count }) {
  return count === null ? explorationHashes(name) : seedHashes(name, count);
}

async function main() {
  const { values } = parseArgs({ options: { scale: { type: 'string', default: '1' } } });
  const scale = Number(values.scale);
  if (!(scale > 0)) throw new Error('--scale must be a positive number');
  const started = performance.now();
  // The slowest jobs first, so the workers finish together.
  const jobs = [
    ...EXPLORERS.map((name) => ({ name, count: null })).reverse(),
    ...Object.entries(FULL_SEEDS)
      .map(([name, count]) => ({ name, count: Math.max(1, Math.round(count * scale)) }))
      .reverse(),
  ];
  const results = [];
  const runJob = (j) =>
    new Promise((resolve, reject) => {
      const w = new Worker(self, { workerData: j });
      w.once('message', resolve);
      w.once('error', reject);
    });
  const next = async () => {
    for (let j = jobs.shift(); j !== undefined; j = jobs.shift()) {
      const t0 = performance.now();
      const hashes = await runJob(j);
      results.push(...hashes);
      const label = j.count === null ? `${j.name} (roots and bug timelines)` : `${j.name} (seeds)`;
      console.log(`    ${label.padEnd(40)} ${String(hashes.length).padStart(6)} executions (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, availableParallelism()) }, next));
  const clashes = collisions(results);
  const distinct = results.length - clashes.length;
  for (const [a, b] of clashes.slice(0, 20)) console.log(`    SAME HASH ${a.hash}: ${a.what} and ${b.what}`);
  console.log(
    `    ${clashes.length === 0 ? 'PASS' : 'FAIL'}  ${results.length} executions, ${distinct} distinct trace hashes ` +
      `(${((performance.now() - started) / 1000).toFixed(0)} s)`,
  );
  if (clashes.length > 0) process.exitCode = 1;
}

if (isMainThread) await main();
else parentPort.postMessage(await job(workerData));
