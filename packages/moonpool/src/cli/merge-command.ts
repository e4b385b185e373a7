import { formatRange, type MergedSimulation, mergeReports, mergeResultToReport, ReportMergeError } from '@moonpool/sim';
import type { CliArgs } from './args.js';
import type { Terminal } from './terminal.js';
import { CliError } from './errors.js';
import { formatOutcome, formatSummary, outcomeJsonLine } from './output.js';
import { readReportFiles, writeReportFile } from './mergeable-file.js';
import { writeReport } from './report-file.js';
import { type Outcome, outcomeSucceeded } from './run.js';

/**
 * `moonpool merge <files...>`: the reports of the whole runs the files are parts of, printed as
 * `sim run` prints them, with what the merge found (duplicates, overlaps, missing indices), and drawn
 * as an HTML page with `--report`. Exit 0 when every simulation passed and is complete, 1 otherwise;
 * bad files and refusals exit 2.
 */
export async function runMerge(args: CliArgs, term: Terminal): Promise<number> {
  const reports = readReportFiles(args.files);
  let merged: ReturnType<typeof mergeReports>;
  try {
    merged = mergeReports(reports, args.files);
  } catch (err) {
    if (err instanceof ReportMergeError) throw new CliError(`merge: ${err.message}`);
    throw err;
  }
  if (args.out !== undefined) writeReportFile(args.out, mergeResultToReport(merged));
  const outcomes = merged.simulations.map(toOutcome);
  for (const [i, sim] of merged.simulations.entries()) {
    const outcome = outcomes[i] as Outcome;
    if (args.json) {
      const line = JSON.parse(outcomeJsonLine(outcome)) as Record<string, unknown>;
      term.out(`${JSON.stringify({ ...line, merge: mergeFacts(sim, args.files.length) })}\n`);
    } else {
      term.out(`${formatOutcome(outcome, term.color, undefined)}\n${formatMergeFacts(sim, args.files.length)}\n\n`);
    }
  }
  if (!args.json && outcomes.length > 1) term.out(`${formatSummary(outcomes, term.color)}\n`);
  if (args.report !== undefined) await writeReport(args.report, outcomes, undefined, 0, (text) => term.err(text));
  const incomplete = merged.simulations.filter((s) => !s.complete);
  if (incomplete.length > 0) {
    term.err(
      `moonpool: merge incomplete: ${incomplete.map((s) => `${s.name} misses ${s.missing.map(formatRange).join(', ')}`).join('; ')}` +
        ': the verdict covers only the indices merged\n',
    );
  }
  return incomplete.length === 0 && outcomes.every(outcomeSucceeded) ? 0 : 1;
}

function toOutcome(sim: MergedSimulation): Outcome {
  return { name: sim.name, report: sim.report, expectFailure: sim.expectFailure };
}

function mergeFacts(sim: MergedSimulation, files: number): object {
  return {
    files,
    total: sim.parts[0]?.total ?? 0,
    covered: sim.parts.filter((p) => p.to > p.from).map(formatRange),
    complete: sim.complete,
    missing: sim.missing.map(formatRange),
    unused: sim.unused.map((u) => ({ source: u.source, range: formatRange(u), reason: u.reason })),
  };
}

function formatMergeFacts(sim: MergedSimulation, files: number): string {
  const total = sim.parts[0]?.total ?? 0;
  const covered = sim.parts.filter((p) => p.to > p.from).map(formatRange);
  const lines = [`--- Merge of ${files} file${files === 1 ? '' : 's'} ---`];
  lines.push(`  Covered: ${covered.length === 0 ? 'nothing' : covered.join(', ')} of ${total} indices`);
  for (const u of sim.unused) {
    const why = u.reason === 'duplicate' ? 'duplicate of another part' : 'overlaps parts used instead';
    lines.push(`  Counted once: ${u.source} (${formatRange(u)}) left out: ${why}`);
  }
  if (!sim.complete) lines.push(`  INCOMPLETE: missing ${sim.missing.map(formatRange).join(', ')}`);
  return lines.join('\n');
}
