// The real quorum-register cluster's figures for `npm run bench` (run by bench-transport.js; also
// alone: `node scripts/bench-cluster.js`, after `npm run build`): `npm run cluster` (3 replica
// processes and a client on loopback TCP, NodeProviders, one replica SIGKILLed at 40 %), a few times;
// the medians of the client's operations per second and of the recovery after the kill.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Each run takes several seconds of two cores: a few are enough. */
const ROUNDS = Math.min(Number(process.env.BENCH_ROUNDS ?? 3), 3);
const OPS = Number(process.env.BENCH_CLUSTER_OPS ?? 4000);
const LANES = 4;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n) => Math.round(n).toLocaleString('en-US');

const runner = fileURLToPath(new URL('../examples/dist/src/quorum-register/run-cluster.js', import.meta.url));

/** One run of the cluster: the figures its client printed. */
function runOnce() {
  const out = spawnSync(process.execPath, [runner, '--ops', String(OPS), '--lanes', String(LANES)], {
    encoding: 'utf8',
    timeout: 300_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  const text = `${out.stdout}${out.stderr}`;
  if (out.status !== 0) throw new Error(`the cluster failed (exit ${out.status}):\n${text}`);
  const number = (re) => {
    const match = re.exec(text);
    if (match === null) throw new Error(`no ${re} in the cluster's output:\n${text}`);
    return Number(match[1]);
  };
  return {
    opsPerSecond: number(/^\[client\] done: \d+ ops in \d+ ms \((\d+) ops\/s\)/m),
    before: number(/^\[client\] before the kill: \d+ ops \((\d+) ops\/s\)/m),
    after: number(/begun after it: \d+ ops \((\d+) ops\/s\)/m),
    firstAck: number(/^\[client\] first write acknowledged after the kill: ([\d.]+) ms/m),
    recovery: number(/^\[client\] recovery: the first write begun after the kill was acknowledged ([\d.]+) ms/m),
    failed: number(/^\[client\] done: .*, (\d+) failed$/m),
  };
}

const runs = [];
for (let r = 0; r < ROUNDS; r++) runs.push(runOnce());
const of = (key) => runs.map((run) => run[key]);
console.log(`(t7) the real quorum-register cluster (npm run cluster): 3 replica processes, 1 client (${LANES} lanes), loopback TCP, ${OPS} operations, median of ${ROUNDS} runs`);
console.log(
  `    client operations/s (50 % writes, 30 % quorum reads, 20 % load-balanced reads): ${fmt(median(of('opsPerSecond')))} ` +
    `(before the SIGKILL, 3 replicas: ${fmt(median(of('before')))}; after it, 2: ${fmt(median(of('after')))}); ` +
    `operations failed: ${of('failed').join(', ')}`,
);
console.log(
  `    recovery after the SIGKILL: first write begun after it acknowledged in ${median(of('recovery')).toFixed(1)} ms ` +
    `(runs: ${of('recovery').map((x) => x.toFixed(1)).join(', ')}); first acknowledgement of any write after it: ` +
    `${median(of('firstAck')).toFixed(1)} ms`,
);
