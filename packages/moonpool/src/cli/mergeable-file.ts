import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { type MergeableReport, parseMergeableReport, ReportMergeError } from '@moonpool/sim';
import { CliError } from './errors.js';

/**
 * Writes a mergeable report: to a temporary file renamed into place, so that a killed job leaves no
 * truncated report behind for a merge to trip over.
 */
export function writeReportFile(path: string, report: MergeableReport): void {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, `${JSON.stringify(report)}\n`);
    renameSync(temporary, path);
  } catch (err) {
    rmSync(temporary, { force: true });
    throw new CliError(`--out: cannot write ${path}: ${(err as Error).message}`);
  }
}

/** Reads and checks mergeable report files; an unreadable or bad file is a CliError naming it. */
export function readReportFiles(paths: readonly string[]): MergeableReport[] {
  return paths.map((path) => {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw new CliError(`cannot read ${path}: ${(err as Error).message}`);
    }
    try {
      return parseMergeableReport(text, path);
    } catch (err) {
      if (err instanceof ReportMergeError) throw new CliError(err.message);
      throw err;
    }
  });
}
