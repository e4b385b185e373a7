import { parseArgs } from 'node:util';
import { type BugRecipe, parseBugRecipe } from '@moonpool/explorer';
import type { IndexSelection } from '@moonpool/sim';
import { UsageError } from './errors.js';
import { checkTraceCombination, parseTraceFlags, TRACE_OPTIONS, type TraceRequest } from './trace-flags.js';

/** What the iterations of a run are changed to; unset fields keep the simulation's own choice. */
export interface RunOverrides {
  /** Exactly these seeds, in order (empty: not pinned). */
  seeds: bigint[];
  iterations: number | undefined;
  baseSeed: bigint | undefined;
  /** Replay exactly this exploration timeline (`<seed>:<recipe>`). */
  recipe: BugRecipe | undefined;
  /** Wall-clock seconds an iteration may make no progress before the watchdog ends the run (0: off). */
  stallTimeoutSeconds: number;
  /** Run every seed twice and fail at the first divergence (`builder.checkDeterminism()`). */
  checkDeterminism: boolean;
  /** Write the one execution as a trace file (`--trace`). */
  trace?: TraceRequest | undefined;
  /** Only these indices of the iterations (`--shard i/n`, `--range from:to`). */
  selection: IndexSelection | undefined;
  /** Keep the map of explored multiverses in the report (the HTML report draws it). */
  recordMultiverse?: boolean;
}

/** A stuck iteration is reported after a minute: far beyond any healthy iteration's pause between events. */
export const DEFAULT_STALL_TIMEOUT_SECONDS = 60;

export interface CliArgs extends RunOverrides {
  command: 'help' | 'list' | 'run' | 'run-all' | 'merge';
  /** Part of a simulation name (`run` only). */
  filter: string;
  json: boolean;
  /** The discovery root as typed, or undefined for the current directory. */
  dir: string | undefined;
  /** Where to write the mergeable report (`--out`; see docs/sharding.md). */
  out: string | undefined;
  /** The mergeable report files to merge (`merge` only). */
  files: string[];
  /** Where to write the HTML report (`--report`), or undefined for none. */
  report: string | undefined;
}

const OPTIONS = {
  seed: { type: 'string', multiple: true },
  iterations: { type: 'string' },
  'base-seed': { type: 'string' },
  recipe: { type: 'string' },
  'stall-timeout': { type: 'string' },
  'check-determinism': { type: 'boolean' },
  json: { type: 'boolean' },
  dir: { type: 'string' },
  shard: { type: 'string' },
  range: { type: 'string' },
  out: { type: 'string' },
  report: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  ...TRACE_OPTIONS,
} as const;

const NUMERIC_FLAGS = new Set(['--seed', '--iterations', '--base-seed']);
const COMMANDS = ['list', 'run', 'run-all'] as const;
const U64_MAX = (1n << 64n) - 1n;

/** Parses `argv` (without the node and script paths); throws UsageError on anything unexpected. */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  let parsed: ReturnType<typeof parseOrThrow>;
  try {
    parsed = parseOrThrow(argv);
  } catch (err) {
    // parseArgs reports unknown options and missing values as TypeErrors with ERR_PARSE_ARGS_* codes.
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      throw new UsageError((err as Error).message);
    }
    throw err;
  }
  const { values, positionals } = parsed;
  const options = {
    json: values.json === true,
    dir: values.dir,
    report: values.report,
    recordMultiverse: values.report !== undefined,
    seeds: [],
    iterations: undefined,
    baseSeed: undefined,
    recipe: undefined,
    stallTimeoutSeconds: DEFAULT_STALL_TIMEOUT_SECONDS,
    checkDeterminism: values['check-determinism'] === true,
    selection: undefined,
    out: values.out,
    files: [],
  };
  // Help wins over everything else on the line, even values that would not parse.
  if (values.help === true) return { ...options, command: 'help', filter: '' };
  if (positionals[0] === 'merge') return mergeArgs(options, positionals.slice(1), values);
  const args: CliArgs = {
    ...options,
    ...commandOf(positionals),
    seeds: (values.seed ?? []).map((s) => parseU64('--seed', s)),
    iterations:
      values.iterations === undefined ? undefined : parseCount('--iterations', values.iterations),
    baseSeed:
      values['base-seed'] === undefined ? undefined : parseU64('--base-seed', values['base-seed']),
    recipe: values.recipe === undefined ? undefined : parseRecipeFlag(values.recipe),
    stallTimeoutSeconds:
      values['stall-timeout'] === undefined
        ? DEFAULT_STALL_TIMEOUT_SECONDS
        : parseSeconds('--stall-timeout', values['stall-timeout']),
    trace: parseTraceFlags(values),
    selection: parseSelection(values.shard, values.range),
  };
  checkCombinations(args);
  return args;
}

/** `merge <files...> [--out <file>] [--report <file.html>] [--json]`: run options mean nothing to it. */
function mergeArgs(
  options: Omit<CliArgs, 'command' | 'filter'>,
  files: readonly string[],
  values: ReturnType<typeof parseOrThrow>['values'],
): CliArgs {
  const runOnly = Object.keys(values).filter((k) => !['json', 'out', 'report'].includes(k));
  if (runOnly.length > 0) throw new UsageError(`--${runOnly[0]} does not apply to merge (only --out, --report and --json)`);
  if (files.length === 0) throw new UsageError('merge needs the report files to merge: moonpool merge <files...>');
  return { ...options, command: 'merge', filter: '', files: [...files] };
}

/** `--shard i/n` (1 <= i <= n) or `--range from:to` (0 <= from < to), not both. */
function parseSelection(shard: string | undefined, range: string | undefined): IndexSelection | undefined {
  if (shard !== undefined && range !== undefined) {
    throw new UsageError('--shard and --range both select indices: give one of them');
  }
  if (shard !== undefined) {
    const m = /^([0-9]+)\/([0-9]+)$/.exec(shard);
    const index = Number(m?.[1]);
    const count = Number(m?.[2]);
    if (m === null || !Number.isSafeInteger(count) || count < 1 || index < 1 || index > count) {
      throw new UsageError(`--shard must be i/n with 1 <= i <= n (shard i of n), got '${shard}'`);
    }
    return { kind: 'shard', index, count };
  }
  if (range !== undefined) {
    const m = /^([0-9]+):([0-9]+)$/.exec(range);
    const from = Number(m?.[1]);
    const to = Number(m?.[2]);
    if (m === null || !Number.isSafeInteger(to) || from >= to) {
      throw new UsageError(`--range must be from:to, the iteration indices [from, to) with from < to, got '${range}'`);
    }
    return { kind: 'range', from, to };
  }
  return undefined;
}

/** `sim list`, `sim run <filter>` or `sim run-all`, and nothing more. */
function commandOf(positionals: readonly string[]): Pick<CliArgs, 'command' | 'filter'> {
  const [group, command, filter, ...extra] = positionals;
  if (group === undefined) throw new UsageError('missing command: try `moonpool sim list`');
  if (group !== 'sim') {
    throw new UsageError(`unknown command '${group}' (commands: sim, merge, campaign)`);
  }
  if (command === undefined) {
    throw new UsageError('missing command after sim: list, run or run-all');
  }
  if (!isCommand(command)) {
    throw new UsageError(`unknown command 'sim ${command}': expected list, run or run-all`);
  }
  const unexpected = command === 'run' ? extra[0] : filter;
  if (unexpected !== undefined) throw new UsageError(`unexpected argument '${unexpected}'`);
  if (command === 'run' && (filter === undefined || filter === '')) {
    throw new UsageError(
      'sim run needs a <filter>: part of a simulation name (see moonpool sim list)',
    );
  }
  return { command, filter: filter ?? '' };
}

function parseOrThrow(argv: readonly string[]) {
  return parseArgs({
    args: joinNegatives(argv),
    options: OPTIONS,
    allowPositionals: true,
    strict: true,
  });
}

/**
 * `--seed -1` becomes `--seed=-1`: parseArgs would otherwise call the value ambiguous, and the
 * number check gives the clearer message.
 */
function joinNegatives(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const next = argv[i + 1];
    if (NUMERIC_FLAGS.has(arg) && next !== undefined && /^-[0-9]/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

function isCommand(s: string): s is (typeof COMMANDS)[number] {
  return (COMMANDS as readonly string[]).includes(s);
}

/** Rejects options that would be silently ignored. */
function checkCombinations(args: CliArgs): void {
  const runOnly = [
    ['--seed', args.seeds.length > 0],
    ['--iterations', args.iterations !== undefined],
    ['--base-seed', args.baseSeed !== undefined],
    ['--recipe', args.recipe !== undefined],
    ['--stall-timeout', args.stallTimeoutSeconds !== DEFAULT_STALL_TIMEOUT_SECONDS],
    ['--check-determinism', args.checkDeterminism],
    ['--shard or --range', args.selection !== undefined],
    ['--out', args.out !== undefined],
    ['--report', args.report !== undefined],
  ] as const;
  for (const [flag, given] of runOnly) {
    if (given && args.command === 'list') {
      throw new UsageError(`${flag} applies only to sim run and sim run-all`);
    }
  }
  checkTraceCombination(args.trace, args.command, args.seeds.length, args.recipe !== undefined);
  if (args.trace !== undefined && args.selection !== undefined) {
    throw new UsageError('--trace writes one execution: drop --shard and --range');
  }
  const pinsSeeds = args.seeds.length > 0 || args.iterations !== undefined || args.baseSeed !== undefined;
  if (args.recipe !== undefined && pinsSeeds) {
    throw new UsageError('--recipe replays one timeline: drop --seed, --iterations and --base-seed');
  }
  // A shard is a part of the generated sequence: pinned seeds and a replayed timeline have none.
  if (args.selection !== undefined && (args.seeds.length > 0 || args.recipe !== undefined)) {
    throw new UsageError('--shard and --range select indices of the generated seeds: drop --seed and --recipe');
  }
  if (args.out !== undefined && (args.seeds.length > 0 || args.recipe !== undefined)) {
    throw new UsageError('--out writes a mergeable report of the generated seeds: drop --seed and --recipe');
  }
  if (args.out === '') throw new UsageError('--out needs a file name');
  // Pinned seeds replace the generated sequence, so a count or a base would mean nothing.
  if (args.seeds.length > 0 && (args.iterations !== undefined || args.baseSeed !== undefined)) {
    throw new UsageError('--seed runs exactly the given seeds: drop --iterations and --base-seed');
  }
}

/** `<seed>:<recipe>` as printed in an exploration report. */
function parseRecipeFlag(text: string): BugRecipe {
  try {
    return parseBugRecipe(text);
  } catch (err) {
    throw new UsageError(`--recipe: ${(err as Error).message}`);
  }
}

/** A decimal unsigned 64-bit integer (no sign, no hex: seeds are printed in decimal). */
function parseU64(flag: string, text: string): bigint {
  if (!/^[0-9]+$/.test(text)) {
    throw new UsageError(`${flag} must be an unsigned 64-bit decimal integer, got '${text}'`);
  }
  const value = BigInt(text);
  if (value > U64_MAX) throw new UsageError(`${flag} must be at most ${U64_MAX}, got ${text}`);
  return value;
}

/** Seconds, fractions allowed; 0 turns the thing off. */
function parseSeconds(flag: string, text: string): number {
  const n = /^[0-9]+(\.[0-9]+)?$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(n)) {
    throw new UsageError(`${flag} must be a number of seconds >= 0 (0 turns it off), got '${text}'`);
  }
  return n;
}

function parseCount(flag: string, text: string): number {
  const n = /^[0-9]+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new UsageError(`${flag} must be a positive integer, got '${text}'`);
  }
  return n;
}
