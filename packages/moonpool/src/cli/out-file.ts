import { ReportMergeError, toMergeableReport } from '@moonpool/sim';
import type { Terminal } from './terminal.js';
import { CliError } from './errors.js';
import { writeReportFile } from './mergeable-file.js';
import type { Outcome } from './run.js';

/**
 * `--out <file>`: the mergeable report of every simulation run. Not written when a part would be
 * missing or partial (a simulation threw, the run was interrupted): a merge would then lack it.
 */
export function writeOutFile(path: string, outcomes: readonly Outcome[], interrupted: boolean, term: Terminal): void {
  const threw = outcomes.filter((o) => o.error !== undefined).map((o) => o.name);
  if (interrupted || threw.length > 0) {
    const why = interrupted ? 'the run was interrupted' : `${threw.join(', ')} threw before finishing`;
    term.err(`moonpool: --out: ${path} not written: ${why}\n`);
    return;
  }
  let report: ReturnType<typeof toMergeableReport>;
  try {
    report = toMergeableReport(outcomes.map((o) => ({ report: o.report, expectFailure: o.expectFailure })));
  } catch (err) {
    if (err instanceof ReportMergeError) throw new CliError(`--out: ${err.message}`);
    throw err;
  }
  writeReportFile(path, report);
}
