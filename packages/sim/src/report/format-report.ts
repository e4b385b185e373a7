import { styleText } from 'node:util';
import { ASSERTION_KINDS, type AssertionResult, formatBugRecipe, type NumericCmp } from '@moonpool/explorer';
import type { ExplorationReport } from './exploration-report.js';
import type { SimulationReport } from './simulation-report.js';
import { describeViolations } from './violations.js';

/** How `formatReport` prints a report for people. */
export interface FormatOptions {
  /** ANSI colours; off by default so logs and files stay plain. */
  color?: boolean;
  /**
   * Ends the report with how to replay the failing seeds from code (`builder.setDebugSeeds`, or
   * `builder.replayRecipe` for bugs found by exploration). On by default; the CLI turns it off
   * because it prints the commands that replay them instead.
   */
  replayHint?: boolean;
}

type Style = 'green' | 'red' | 'yellow' | 'bold' | 'dim';

/** Longer seed and run lists are cut here, then counted: the JSON report has them all. */
const MAX_SEEDS_SHOWN = 10;
/** Messages longer than this are not padded, so one long message does not widen every row. */
const MAX_MSG_PAD = 48;

/** The report for people: verdict, seeds, timing, assertions, violations and exploration. */
export function formatReport(report: SimulationReport, options: FormatOptions = {}): string {
  // validateStream: false, because the caller already decided to colour (the output may not go to stdout).
  const paint = (style: Style, text: string): string =>
    options.color === true ? styleText(style, text, { validateStream: false }) : text;
  const lines: string[] = [paint('bold', '=== Simulation Report ===')];
  if (report.name !== '') lines.push(`  Name: ${report.name}`);
  if (report.interrupted === true) {
    lines.push(paint('yellow', '  INTERRUPTED: stopped early; this report covers what ran until then'));
  }
  const rate = report.iterations > 0 ? (report.successfulRuns / report.iterations) * 100 : 0;
  lines.push(
    `  Iterations: ${report.iterations}  |  Passed: ${report.successfulRuns}  |  Failed: ${report.failedRuns}  |  Rate: ${rate.toFixed(1)}%`,
  );
  if (report.seedsFailing.length > 0) {
    const shown = report.seedsFailing.slice(0, MAX_SEEDS_SHOWN).map(String);
    const more = report.seedsFailing.length - shown.length;
    lines.push(
      paint('red', `  Faulty seeds: [${shown.join(', ')}${more > 0 ? `, … and ${more} more` : ''}]`),
    );
  }
  const n = Math.max(report.runs.length, 1);
  const avg = (f: (r: SimulationReport['runs'][number]) => number): number =>
    report.runs.reduce((sum, r) => sum + f(r), 0) / n;
  lines.push(
    `  Avg Wall Time: ${duration(avg((r) => r.wallMs))}   Total: ${duration(report.totalWallMs)}   Avg Sim Time: ${duration(avg((r) => r.simTimeMs))}   Avg Events: ${thousands(Math.round(avg((r) => r.events)))}`,
  );

  lines.push(paint('bold', `--- Assertions (${report.assertions.length}) ---`));
  const labelWidth = Math.max(10, ...report.assertions.map((a) => kindLabel(a).length));
  const msgWidth = Math.min(
    MAX_MSG_PAD,
    Math.max(0, ...report.assertions.map((a) => a.msg.length + 2)),
  );
  for (const a of report.assertions) {
    const status =
      a.status === 'fail'
        ? paint('red', 'FAIL')
        : a.status === 'pass'
          ? paint('green', 'PASS')
          : paint('yellow', 'MISS');
    lines.push(
      `  ${status}  [${kindLabel(a).padEnd(labelWidth)}]  ${`"${a.msg}"`.padEnd(msgWidth)}  ${counts(a)}`,
    );
  }

  section(lines, paint, 'red', 'Always Violations', describeViolations(report.alwaysViolations, report.assertions));
  section(
    lines,
    paint,
    'yellow',
    'Coverage Violations',
    describeViolations(report.coverageViolations, report.assertions),
  );
  section(lines, paint, 'yellow', 'Warnings', report.warnings);
  const failed = report.runs.filter((r) => !r.ok);
  section(
    lines,
    paint,
    'red',
    'Failed Runs',
    failed
      .slice(0, MAX_SEEDS_SHOWN)
      .map((r) => `seed ${r.seed}: ${r.error ?? (r.alwaysViolations.join('; ') || 'failed')}`),
    failed.length,
  );
  if (failed.length > MAX_SEEDS_SHOWN) {
    lines.push(paint('red', `  … and ${failed.length - MAX_SEEDS_SHOWN} more failing seeds`));
  }
  if (report.exploration) explorationSection(lines, paint, report.exploration);
  if (options.replayHint !== false) replaySection(lines, paint, report);
  return lines.join('\n');
}

/** How to replay the shown failures from code: a report of an API run has no command to print. */
function replaySection(
  lines: string[],
  paint: (style: Style, text: string) => string,
  report: SimulationReport,
): void {
  const bugs = report.exploration?.bugRecipes ?? [];
  if (bugs.length > 0) {
    // A seed of an exploration would re-run it whole: its bugs replay by recipe.
    lines.push(paint('bold', '--- Replay (on the same builder) ---'));
    for (const bug of bugs.slice(0, MAX_SEEDS_SHOWN)) {
      lines.push(`  .replayRecipe('${formatBugRecipe(bug)}')`);
    }
    return;
  }
  const seeds = report.seedsFailing.slice(0, MAX_SEEDS_SHOWN);
  if (seeds.length === 0) return;
  lines.push(paint('bold', '--- Replay (on the same builder) ---'));
  lines.push(`  .setDebugSeeds([${seeds.map((s) => `${s}n`).join(', ')}])`);
}

/** Timelines, fork points, energy, coverage and the recipes of bugs found by exploration. */
function explorationSection(
  lines: string[],
  paint: (style: Style, text: string) => string,
  e: ExplorationReport,
): void {
  lines.push(paint('bold', '--- Exploration ---'));
  lines.push(
    `  Timelines: ${thousands(e.totalTimelines)}  |  Fork points: ${thousands(e.forkPoints)}  |  Bugs: ${e.bugsFound}` +
      `  |  Coverage: ${e.coverageBits} / ${e.coverageTotal} bits${e.converged ? '  |  converged' : ''}`,
  );
  lines.push(
    `  Energy left: ${thousands(e.energyRemaining)}  |  Realloc pool: ${thousands(e.reallocPoolRemaining)}` +
      `  |  Timelines per seed: [${e.perSeedTimelines.join(', ')}]` +
      `  |  Threads: ${e.threads}`,
  );
  if (e.codeCoverage !== undefined) {
    const c = e.codeCoverage;
    lines.push(`  Code coverage: ${thousands(c.blocksCovered)} / ${thousands(c.blocks)} blocks of the system under test (${c.functions} functions ran)`);
  }
  if (e.ownDraws > 0) {
    lines.push(
      `  Replay: ${thousands(e.draws)} random draws executed; a fork-based explorer needs ${thousands(e.ownDraws)}` +
        ` (${(e.draws / e.ownDraws).toFixed(1)}x)` +
        (e.snapshotStarts === undefined ? '' : `; ${thousands(e.snapshotStarts)} timelines started from snapshots`),
    );
  }
  const shown = e.bugRecipes.slice(0, MAX_SEEDS_SHOWN);
  for (const bug of shown) {
    lines.push(paint('red', `  bug: ${formatBugRecipe(bug)}`));
    if (bug.failure) lines.push(paint('red', `    ${bug.failure.kind}: ${firstLine(bug.failure.message, 200)}`));
  }
  if (e.bugRecipes.length > shown.length) {
    lines.push(`  … and ${e.bugRecipes.length - shown.length} more bug recipes`);
  }
}

function section(
  lines: string[],
  paint: (style: Style, text: string) => string,
  style: Style,
  title: string,
  items: readonly string[],
  total = items.length,
): void {
  if (items.length === 0) return;
  lines.push(paint('bold', `--- ${title} (${total}) ---`));
  for (const item of items) lines.push(paint(style, `  ${item}`));
}

const CMP_SIGN: Record<NumericCmp, string> = { gt: '>', ge: '>=', lt: '<', le: '<=' };

function kindLabel(a: AssertionResult): string {
  const label = ASSERTION_KINDS[a.kind].label;
  return a.cmp === undefined ? label : `${label} ${CMP_SIGN[a.cmp]}`;
}

function counts(a: AssertionResult): string {
  return a.unreached ? 'never reached' : ASSERTION_KINDS[a.kind].counts(a, thousands);
}

/** The first line of `text`, cut to `max` characters. */
function firstLine(text: string, max: number): string {
  const line = text.split('\n', 1)[0] ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** `8432` -> `8,432`, independent of the machine's locale. */
export function thousands(n: number): string {
  const sign = n < 0 ? '-' : '';
  return sign + String(Math.abs(Math.trunc(n))).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Milliseconds below one second, seconds with two decimals above. */
export function duration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(2)}s`;
}
