// `npm run cluster`: the quorum register as a real cluster on loopback TCP, running the code of the
// `quorum-register` simulation on NodeProviders:
//   node examples/dist/src/quorum-register/run-cluster.js [--replicas 3] [--ops 4000] [--lanes 4]
// Starts the replicas (each on a free port, with a data directory of its own under a temporary
// directory), then the client; once the client has done 40 % of its operations it SIGKILLs one
// replica and tells the client when; the client goes on with the others (quorums of 2 of 3) for at
// least half its operations more. When
// the client is done it stops the other replicas (SIGTERM) and removes the data. Every step waits
// for a line the processes print, never for a fixed time. Exit 0 only if the client succeeded (its
// history linearizable, every acknowledged write still there at the end, writes acknowledged after
// the kill) and every replica but the killed one stopped cleanly.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** Far beyond what the processes need on loopback, even on a loaded machine: reaching one means a hang. */
const START_LIMIT_MS = 30_000;
const CLIENT_LIMIT_MS = 120_000;
const STOP_LIMIT_MS = 15_000;
/** Share of the client's operations done before the kill. */
const KILL_AFTER = 0.4;

const { values } = parseArgs({
  options: {
    replicas: { type: 'string', default: '3' },
    ops: { type: 'string', default: '4000' },
    lanes: { type: 'string', default: '4' },
  },
});
const replicaCount = Number(values.replicas);
const ops = Number(values.ops);
if (!(replicaCount >= 3) || !(ops >= 10)) {
  console.error('usage: run-cluster.js [--replicas 3] [--ops 4000] [--lanes 4] (at least 3 replicas and 10 operations)');
  process.exit(2);
}
const script = (file: string): string => fileURLToPath(new URL(`./${file}`, import.meta.url));

interface Started {
  readonly child: ChildProcess;
  /** Exit code, or the signal's name if a signal ended it, once its output was all printed. */
  readonly closed: Promise<number | string>;
}

const children: ChildProcess[] = [];
const dataDir = mkdtempSync(join(tmpdir(), 'moonpool-cluster-'));
/** Whatever happens to this process, its children do not outlive it and its data is removed. */
const cleanUp = (): void => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
};
process.on('exit', cleanUp);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`cluster: ${signal}: stopping everything`);
    process.exit(130); // 'exit' cleans up
  });
}

/** Starts `file` as a node process whose output lines are printed with `prefix` and handed to `onLine`. */
function start(file: string, args: string[], prefix: string, onLine: (line: string) => void = () => {}): Started {
  const child = spawn(process.execPath, [script(file), ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  createInterface({ input: child.stdout! }).on('line', (line) => {
    console.log(`${prefix} ${line}`);
    onLine(line);
  });
  createInterface({ input: child.stderr! }).on('line', (line) => console.error(`${prefix} ${line}`));
  const closed = new Promise<number | string>((resolve) =>
    child.once('close', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  return { child, closed };
}

/** What `work` gives, or null when it takes longer than `ms` (the timer never outlives it). */
async function within<T>(work: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms)));
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

const ok = await runCluster();
cleanUp();
process.exitCode = ok ? 0 : 1;

async function runCluster(): Promise<boolean> {
  const replicas = Array.from({ length: replicaCount }, (_, i) => {
    let listening: (address: string) => void = () => {};
    const address = new Promise<string>((resolve) => (listening = resolve));
    const started = start('replica-main.js', ['127.0.0.1:0', join(dataDir, `replica-${i}`)], `[replica ${i}]`, (line) => {
      const match = /^listening on (\S+)$/.exec(line);
      if (match?.[1] !== undefined) listening(match[1]);
    });
    return { ...started, address: Promise.race([address, started.closed.then(() => null)]) };
  });
  const addresses = await within(Promise.all(replicas.map((r) => r.address)), START_LIMIT_MS);
  if (addresses === null || addresses.some((a) => a === null)) {
    console.error('cluster: a replica did not start listening');
    return false;
  }

  const victim = 1;
  let killedAtOp: number | null = null;
  const client = start(
    'client-main.js',
    // At least half the operations after the kill, however fast the first ones went.
    ['--replicas', addresses.join(','), '--ops', String(ops), '--lanes', values.lanes ?? '4', '--after-kill', String(Math.ceil(ops / 2))],
    '[client]',
    (line) => {
      const match = /^progress (\d+) ops/.exec(line);
      if (match === null || killedAtOp !== null || Number(match[1]) < ops * KILL_AFTER) return;
      killedAtOp = Number(match[1]);
      const replica = replicas[victim] as Started;
      replica.child.kill('SIGKILL');
      const at = performance.timeOrigin + performance.now();
      client.child.stdin?.write(`killed ${at}\n`);
      console.log(`[cluster] SIGKILL replica ${victim} (pid ${replica.child.pid}) after ${killedAtOp} operations`);
    },
  );
  const clientCode = await within(client.closed, CLIENT_LIMIT_MS);
  if (clientCode === null) console.error(`cluster: the client did not finish within ${CLIENT_LIMIT_MS} ms`);

  const others = replicas.filter((_, i) => i !== victim);
  for (const r of others) r.child.kill('SIGTERM');
  const codes = await within(Promise.all(others.map((r) => r.closed)), STOP_LIMIT_MS);
  const victimEnd = await within((replicas[victim] as Started).closed, STOP_LIMIT_MS);

  const stopped = codes !== null && codes.every((c) => c === 0);
  console.log(
    `cluster: client ${clientCode === null ? 'killed (too slow)' : `exited with ${clientCode}`}; ` +
      `replica ${victim} ${killedAtOp === null ? 'was never killed' : `killed after ${killedAtOp} operations (${String(victimEnd)})`}; ` +
      `the others ${stopped ? 'exited with 0 after SIGTERM' : `ended with ${codes === null ? 'a timeout' : codes.join(', ')}`}`,
  );
  return clientCode === 0 && killedAtOp !== null && victimEnd === 'SIGKILL' && stopped;
}
