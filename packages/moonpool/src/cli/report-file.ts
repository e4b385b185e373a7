import { statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { formatBugRecipe } from '@moonpool/explorer';
import { CliError } from './errors.js';
import type { HtmlReportInput, SimulationJson } from '../html-report/input.js';
import { outcomeJsonLine } from './output.js';
import type { Outcome } from './run.js';

/** Refuses, before anything runs, a `--report` path whose folder does not exist or that is a folder. */
export function checkReportPath(file: string): void {
  const path = resolve(file);
  const folder = statSync(dirname(path), { throwIfNoEntry: false });
  if (folder === undefined || !folder.isDirectory()) {
    throw new CliError(`--report: the folder of ${file} does not exist`);
  }
  if (statSync(path, { throwIfNoEntry: false })?.isDirectory() === true) {
    throw new CliError(`--report: ${file} is a folder; give a file name such as report.html`);
  }
}

/**
 * The page input for the outcomes of a command, taken from their JSON form (what `--json` prints),
 * so a page drawn now and one drawn later from saved reports are the same.
 */
export function htmlReportInput(outcomes: readonly Outcome[], dir: string | undefined, notRun = 0): HtmlReportInput {
  const simulations = outcomes.map((o): SimulationJson => {
    const json = JSON.parse(outcomeJsonLine(o)) as SimulationJson;
    return o.recipe === undefined ? json : { ...json, replayedRecipe: formatBugRecipe(o.recipe) };
  });
  return { simulations, ...(dir === undefined ? {} : { dir }), ...(notRun > 0 ? { notRun } : {}) };
}

/** Writes the HTML report of `outcomes` to `file` and says so on stderr; a failed write is a setup error. */
export async function writeReport(
  file: string,
  outcomes: readonly Outcome[],
  dir: string | undefined,
  notRun: number,
  say: (text: string) => void,
): Promise<void> {
  // The page's modules load only when a report is asked for: `sim run` does not pay for them.
  const { renderHtmlReport } = await import('../html-report/page.js');
  const html = renderHtmlReport(htmlReportInput(outcomes, dir, notRun));
  try {
    await writeFile(file, html, 'utf8');
  } catch (err) {
    throw new CliError(`--report: cannot write ${file}: ${(err as Error).message}`);
  }
  const kib = (Buffer.byteLength(html, 'utf8') / 1024).toFixed(0);
  say(`moonpool: HTML report written to ${file} (${kib} KiB)\n`);
}
