// The command's start-up, as a user runs it (`npm run bench` runs this; also runnable alone:
// `node scripts/bench-cli.js`). Whole processes timed from outside, against a bare `node` started in
// the same run: what `moonpool sim run <name>` adds before its simulation begins.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const CLI = fileURLToPath(new URL('../packages/moonpool/dist/src/cli/main.js', import.meta.url));
const EXAMPLES = fileURLToPath(new URL('../examples/', import.meta.url));
const NODE = process.execPath;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Wall milliseconds of one process; fails loudly if it does not exit as expected. */
function wallMs([command, ...args]) {
  const started = performance.now();
  const out = spawnSync(command, args, { cwd: EXAMPLES, encoding: 'utf8' });
  const ms = performance.now() - started;
  if (out.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${out.status}:\n${out.stderr}`);
  return ms;
}

const cases = [
  ['bare node (node -e 0)', [NODE, '-e', '0']],
  ['moonpool --help', [NODE, CLI, '--help']],
  // npm's own start-up, before it starts the same command.
  ['npx moonpool --help', ['npx', '--no-install', 'moonpool', '--help']],
  // One iteration of the plain maze takes about a millisecond: the rest is start-up.
  ['sim run maze --iterations 1 (one file imported)', [NODE, CLI, 'sim', 'run', 'maze', '--iterations', '1']],
  // The same without the watchdog: its thread starts on the other core while this one loads.
  [
    'sim run maze --iterations 1 --stall-timeout 0',
    [NODE, CLI, 'sim', 'run', 'maze', '--iterations', '1', '--stall-timeout', '0'],
  ],
  ['sim list (every simulation file imported)', [NODE, CLI, 'sim', 'list']],
  // Campaign commands import BullMQ and the Redis client; `sim run` must not (dynamic import).
  ['campaign --help (BullMQ and ioredis imported)', [NODE, CLI, 'campaign', '--help']],
];
const times = cases.map(() => []);
// Interleaved rounds: a busy moment of the machine hits every case alike.
for (let r = 0; r < ROUNDS; r++) cases.forEach(([, args], i) => times[i].push(wallMs(args)));
const [bare, help, npx, run, unwatched, list, campaign] = times.map(median);

console.log('(m) the command\'s start-up, whole processes (median of interleaved rounds)');
cases.forEach(([name], i) => console.log(`    ${name.padEnd(50)} ${median(times[i]).toFixed(0).padStart(5)} ms`));
console.log(
  `    start-up of sim run over bare node: ${(run - bare).toFixed(0)} ms; ` +
    `importing every simulation file instead would add ${(list - run).toFixed(0)} ms`,
);
console.log(`    the watchdog thread adds ${(run - unwatched).toFixed(0)} ms to it (--stall-timeout 0 starts none)`);
console.log(`    campaign commands load BullMQ: ${(campaign - help).toFixed(0)} ms over --help, which sim run does not pay`);
console.log(`    npx adds ${(npx - help).toFixed(0)} ms of its own to any command (run the bin directly to save it)`);
