// Determinism of the bundled simulations: for each, N seeds run twice in this process, once in a
// fresh child process and once in a worker thread must give identical trace hashes per seed, and
// different seeds must differ. Used by `npm run bench`; runnable alone:
//   node scripts/check-determinism.js [--seeds 200] [name ...]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import * as examples from '../examples/dist/src/index.js';

const self = fileURLToPath(import.meta.url);

/** Trace hashes of the first `count` generated seeds of simulation `name`. */
async function hashes(name, count) {
  const def = Object.values(examples).find((d) => d?.name === name);
  if (!def) throw new Error(`no bundled simulation named ${name}`);
  const report = await def.build().setIterations(count).run();
  return report.runs.map((r) => `${r.seed}:${r.traceHash}`);
}

async function main() {
  const { values, positionals } = parseArgs({
    options: { seeds: { type: 'string', default: '200' }, child: { type: 'boolean' } },
    allowPositionals: true,
  });
  const count = Number(values.seeds);
  if (!Number.isInteger(count) || count < 1) throw new Error('--seeds must be a positive integer');
  if (values.child) {
    process.stdout.write(JSON.stringify(await hashes(positionals[0], count)));
    return;
  }
  const names = positionals.length > 0 ? positionals : Object.values(examples).map((d) => d.name);
  let ok = true;
  for (const name of names) {
    const started = performance.now();
    const first = await hashes(name, count);
    const second = await hashes(name, count);
    const child = spawnSync(process.execPath, [self, '--child', '--seeds', String(count), name], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (child.status !== 0) throw new Error(`child process failed: ${child.stderr}`);
    const fresh = JSON.parse(child.stdout);
    const worker = await new Promise((resolve, reject) => {
      const w = new Worker(self, { workerData: { name, count } });
      w.once('message', resolve);
      w.once('error', reject);
    });
    const same = (a) => a.length === first.length && a.every((h, i) => h === first[i]);
    const distinct = new Set(first.map((h) => h.split(':')[1])).size;
    const pass = same(second) && same(fresh) && same(worker);
    ok &&= pass;
    console.log(
      `    ${pass ? 'PASS' : 'FAIL'}  ${name.padEnd(22)} ${count} seeds: twice in-process ${same(second)}, ` +
        `fresh process ${same(fresh)}, worker ${same(worker)}, distinct hashes ${distinct}/${count} ` +
        `(${((performance.now() - started) / 1000).toFixed(1)} s)`,
    );
  }
  if (!ok) process.exitCode = 1;
}

if (isMainThread) await main();
else parentPort.postMessage(await hashes(workerData.name, workerData.count));
