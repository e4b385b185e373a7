import { resolve } from 'node:path';
import { type CliArgs, parseCliArgs } from './args.js';
import { type DiscoveredSimulation, discoverNamed, discoverSimulations, displayPath } from './discover.js';
import { CliError, UsageError } from './errors.js';
import { interruptExitCode } from './interrupt.js';
import {
  formatList,
  formatOutcome,
  formatSummary,
  listJsonLines,
  outcomeJsonLine,
} from './output.js';
import { ProgressLine } from './progress.js';
import { checkReportPath, writeReport } from './report-file.js';
import { type Outcome, outcomeSucceeded, runSimulation } from './run.js';
import { requireSome, selectSimulations } from './select.js';
import type { Terminal } from './terminal.js';
import { describeTrace, ensureTraceWritable } from './trace-run.js';
import { USAGE } from './usage.js';

export type { Terminal } from './terminal.js';

/**
 * Runs the `moonpool` command; resolves to its exit code (0 passed, 1 a simulation failed, 2
 * usage/setup, 130/143 stopped by `signal` aborted with 'SIGINT'/'SIGTERM' after printing what ran).
 */
export async function runCli(argv: readonly string[], term: Terminal, signal?: AbortSignal): Promise<number> {
  try {
    // Campaigns load BullMQ and a Redis client: imported only for `moonpool campaign …`.
    if (argv[0] === 'campaign') {
      const { runCampaignCli } = await import('../campaign/campaign-cli.js');
      return await runCampaignCli(argv.slice(1), term, signal);
    }
    const args = parseCliArgs(argv);
    if (args.command === 'help') {
      term.out(USAGE);
      return 0;
    }
    // A report that cannot be written is said before the run (or the merge), not after it.
    if (args.report !== undefined) checkReportPath(args.report);
    // Merging and --out load their own modules only when asked for (start-up of `sim run`).
    if (args.command === 'merge') return await (await import('./merge-command.js')).runMerge(args, term);
    const root = resolve(args.dir ?? '.');
    const discovery = { warn: (message: string) => term.err(`moonpool: warning: ${message}\n`) };
    // `run <name>` imports only the simulation's own file when it is named after it (start-up time).
    const sims =
      args.command === 'run'
        ? await discoverNamed(root, args.filter, discovery)
        : await discoverSimulations(root, discovery);
    if (args.command === 'list') {
      if (sims.length === 0)
        term.err(`moonpool: no simulations found under ${displayPath(root)}\n`);
      else term.out(`${args.json ? listJsonLines(sims) : formatList(sims)}\n`);
      return 0;
    }
    const selected =
      args.command === 'run'
        ? selectSimulations(sims, args.filter)
        : requireSome(sims, displayPath(root));
    checkTraceTarget(args, selected);
    return await runSelected(selected, args, term, signal);
  } catch (err) {
    if (err instanceof UsageError) {
      term.err(`moonpool: ${err.message}\nRun 'moonpool --help' for usage.\n`);
      return 2;
    }
    if (err instanceof CliError) {
      term.err(`moonpool: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}

/** Runs one simulation at a time, printing each result as soon as it is known. */
async function runSelected(
  selected: readonly DiscoveredSimulation[],
  args: CliArgs,
  term: Terminal,
  signal: AbortSignal | undefined,
): Promise<number> {
  const outcomes: Outcome[] = [];
  for (const [i, sim] of selected.entries()) {
    if (signal?.aborted === true) break;
    if (term.stderrIsTTY) {
      term.err(`moonpool: running ${sim.definition.name} (${i + 1}/${selected.length})\n`);
    }
    // Live progress only for a person watching a terminal, never into JSON or piped output.
    const progress =
      term.stderrIsTTY && !args.json ? new ProgressLine((text) => term.err(text), sim.definition.name) : null;
    const outcome = await runSimulation(sim, args, progress === null ? undefined : (s) => progress.update(s), signal);
    progress?.clear();
    outcomes.push(outcome);
    if (outcome.trace !== undefined) term.err(describeTrace(outcome.trace));
    // JSON mode: stdout carries nothing but these lines.
    if (args.json) term.out(`${outcomeJsonLine(outcome)}\n`);
    else term.out(`${formatOutcome(outcome, term.color, args.dir)}\n\n`);
  }
  if (!args.json && outcomes.length > 1) term.out(`${formatSummary(outcomes, term.color)}\n`);
  if (args.report !== undefined) {
    await writeReport(args.report, outcomes, args.dir, selected.length - outcomes.length, (t) => term.err(t));
  }
  const interrupted = interruptExitCode(signal);
  if (args.out !== undefined) {
    const { writeOutFile } = await import('./out-file.js');
    writeOutFile(args.out, outcomes, interrupted !== null, term);
  }
  if (interrupted !== null) {
    const skipped = selected.length - outcomes.length;
    const notRun = skipped > 0 ? `; ${skipped} simulation${skipped === 1 ? '' : 's'} not run` : '';
    term.err(`moonpool: interrupted (${String(signal?.reason)}): the reports above are partial${notRun}\n`);
    return interrupted;
  }
  return outcomes.every(outcomeSucceeded) ? 0 : 1;
}

/** A trace is one execution of one simulation, into a file that can be written. */
function checkTraceTarget(args: CliArgs, selected: readonly DiscoveredSimulation[]): void {
  if (args.trace === undefined) return;
  if (selected.length > 1) {
    const names = selected.map((s) => s.definition.name).join(', ');
    throw new UsageError(
      `--trace writes one execution, but '${args.filter}' matches ${selected.length} simulations (${names}): name one`,
    );
  }
  ensureTraceWritable(args.trace);
}
