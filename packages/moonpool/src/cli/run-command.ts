import type { CliArgs } from './args.js';
import type { DiscoveredSimulation } from './discover.js';
import { UsageError } from './errors.js';
import { interruptExitCode } from './interrupt.js';
import { formatOutcome, formatSummary, outcomeJsonLine } from './output.js';
import { ProgressLine } from './progress.js';
import { writeReport } from './report-file.js';
import { type Outcome, outcomeSucceeded, runSimulation } from './run.js';
import type { Terminal } from './terminal.js';
import { describeTrace, ensureTraceWritable } from './trace-run.js';

/**
 * `sim run` and `sim run-all`: runs one simulation at a time, printing each result as soon as it is
 * known; resolves to the exit code.
 */
export async function runSelected(
  selected: readonly DiscoveredSimulation[],
  args: CliArgs,
  term: Terminal,
  signal: AbortSignal | undefined,
): Promise<number> {
  checkTraceTarget(args, selected);
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
