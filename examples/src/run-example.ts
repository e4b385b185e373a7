// Runs a bundled example for real: its server and its client as two OS processes talking over
// loopback TCP on NodeProviders — the code the example's simulation runs on simulated providers.
//   node examples/dist/src/run-example.js <ping-pong | calculator>
// Prints both processes' output, stops the server (SIGTERM) once the client is done, and exits
// with 0 when the client succeeded and the server stopped cleanly.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const EXAMPLES = ['ping-pong', 'calculator'];
/** Far beyond what either process needs on loopback: reaching it means something hangs. */
const LIMIT_MS = 15_000;

const name = process.argv[2] ?? '';
if (!EXAMPLES.includes(name)) {
  console.error(`usage: run-example.js <${EXAMPLES.join(' | ')}>`);
  process.exit(2);
}
const script = (file: string): string => fileURLToPath(new URL(`./${name}/${file}`, import.meta.url));

/** A started process and its exit code once it ended and its output was all printed. */
interface Started {
  readonly child: ChildProcess;
  readonly closed: Promise<number>;
}

/** Starts `file` as a node process whose output lines are printed with `prefix`. */
function start(file: string, args: string[], prefix: string, onLine: (line: string) => void = () => {}): Started {
  const child = spawn(process.execPath, [script(file), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  createInterface({ input: child.stdout! }).on('line', (line) => {
    console.log(`${prefix} ${line}`);
    onLine(line);
  });
  createInterface({ input: child.stderr! }).on('line', (line) => console.error(`${prefix} ${line}`));
  // 'close' comes after the output streams ended (a signal counts as failure).
  const closed = new Promise<number>((resolve) => child.once('close', (code) => resolve(code ?? 1)));
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

let serverAddress: (address: string) => void = () => undefined;
const listening = new Promise<string>((resolve) => (serverAddress = resolve));
const server = start('server-main.js', ['127.0.0.1:0'], '[server]', (line) => {
  const match = /^listening on (\S+)$/.exec(line);
  if (match?.[1] !== undefined) serverAddress(match[1]);
});
const address = await within(Promise.race([listening, server.closed.then(() => null)]), LIMIT_MS);
if (address === null) {
  console.error(`${name}: the server did not start listening`);
  server.child.kill('SIGKILL');
  process.exit(1);
}

const client = start('client-main.js', [address], '[client]');
const clientCode = await within(client.closed, LIMIT_MS);
if (clientCode === null) client.child.kill('SIGKILL');
server.child.kill('SIGTERM');
const serverCode = await within(server.closed, 5_000);
if (serverCode === null) server.child.kill('SIGKILL');

const verdict = (code: number | null): string => (code === null ? 'did not exit in time (killed)' : `exited with ${code}`);
console.log(`${name}: client ${verdict(clientCode)}, server ${verdict(serverCode)} after SIGTERM`);
process.exitCode = clientCode === 0 && serverCode === 0 ? 0 : 1;
