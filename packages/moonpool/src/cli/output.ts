import { styleText } from 'node:util';
import { formatReport, reportSucceeded, reportToJson } from '@moonpool/sim';
import type { DiscoveredSimulation } from './discover.js';
import { displayPath } from './discover.js';
import { reproduceCommand, reproduceRecipeCommand } from './reproduce.js';
import { diverged, type Outcome, outcomeSucceeded } from './run.js';

/** Beyond this many failing seeds the reproduce list is cut (the JSON output has them all). */
const MAX_REPRODUCE_SHOWN = 10;

type Paint = (style: 'bold' | 'red' | 'green', text: string) => string;

function painter(color: boolean): Paint {
  return (style, text) => (color ? styleText(style, text, { validateStream: false }) : text);
}

/** `sim list`: aligned names and descriptions. */
export function formatList(sims: readonly DiscoveredSimulation[]): string {
  const width = Math.max(0, ...sims.map((s) => s.definition.name.length));
  return sims
    .map(({ definition: d }) => `${d.name.padEnd(width)}  ${d.description}`.trimEnd())
    .join('\n');
}

/** `sim list --json`: one object per line. */
export function listJsonLines(sims: readonly DiscoveredSimulation[]): string {
  return sims
    .map(({ definition: d, file }) =>
      JSON.stringify({ name: d.name, description: d.description, file: displayPath(file) }),
    )
    .join('\n');
}

/** One JSON Lines record: the report's JSON, plus `error` when the simulation threw. */
export function outcomeJsonLine(outcome: Outcome): string {
  const json = {
    ...reportToJson(outcome.report),
    ...(outcome.expectFailure ? { expectFailure: true } : {}),
  };
  return JSON.stringify(outcome.error === undefined ? json : { ...json, error: outcome.error });
}

/** The human report of one simulation, with the commands that reproduce its failing seeds. */
export function formatOutcome(outcome: Outcome, color: boolean, dir: string | undefined): string {
  const paint = painter(color);
  if (outcome.error !== undefined) {
    return [
      paint('bold', '=== Simulation Report ==='),
      `  Name: ${outcome.name}`,
      paint('red', '  ERROR: the simulation threw before finishing:'),
      ...outcome.error.split('\n').map((line) => paint('red', `    ${line}`)),
    ].join('\n');
  }
  // The CLI replays by command (below), not by builder call.
  const lines = [formatReport(outcome.report, { color, replayHint: false })];
  const seeds = outcome.report.seedsFailing;
  const recipe = outcome.recipe;
  if (recipe !== undefined && seeds.length > 0) {
    // A replayed timeline is reproduced by its recipe: its seed alone would re-run a whole exploration.
    lines.push(paint('bold', '--- Reproduce (1) ---'));
    lines.push(`  ${reproduceRecipeCommand(outcome.name, recipe, dir)}`);
  } else if (seeds.length > 0) {
    lines.push(paint('bold', `--- Reproduce (${seeds.length}) ---`));
    // A nondeterministic seed only shows as such when it is run twice again.
    const check = diverged(outcome.report) ? ' --check-determinism' : '';
    for (const seed of seeds.slice(0, MAX_REPRODUCE_SHOWN)) {
      lines.push(`  ${reproduceCommand(outcome.name, seed, dir)}${check}`);
    }
    const more = seeds.length - MAX_REPRODUCE_SHOWN;
    if (more > 0) lines.push(`  … and ${more} more failing seeds (--json lists them all)`);
  }
  const bugs = outcome.report.exploration?.bugRecipes ?? [];
  if (bugs.length > 0) {
    lines.push(paint('bold', `--- Replay a bug found by exploration (${bugs.length}) ---`));
    for (const bug of bugs.slice(0, MAX_REPRODUCE_SHOWN)) {
      lines.push(`  ${reproduceRecipeCommand(outcome.name, bug, dir)}`);
    }
  }
  return lines.join('\n');
}

/** One line per simulation, after a run of several. */
export function formatSummary(outcomes: readonly Outcome[], color: boolean): string {
  const paint = painter(color);
  const failed = outcomes.filter((o) => !outcomeSucceeded(o)).length;
  const lines = [
    paint(
      'bold',
      `=== Summary: ${outcomes.length} simulations, ${outcomes.length - failed} passed, ${failed} failed ===`,
    ),
  ];
  for (const o of outcomes) {
    const status = outcomeSucceeded(o) ? paint('green', 'PASS') : paint('red', 'FAIL');
    lines.push(`  ${status}  ${o.name}${detail(o)}`);
  }
  return lines.join('\n');
}

function detail(o: Outcome): string {
  if (o.error !== undefined) return `  (threw: ${o.error.split('\n')[0]})`;
  const r = o.report;
  const parts = [`${r.iterations} iterations`];
  if (diverged(r)) parts.push('NONDETERMINISTIC: a seed run twice gave two traces');
  else if (o.expectFailure) {
    parts.push(reportSucceeded(r) ? 'expected bug NOT found' : 'demonstrates a bug: found as expected');
  }
  if (r.seedsFailing.length > 0) parts.push(`${r.seedsFailing.length} failing seeds`);
  const bugs = r.exploration?.bugsFound ?? 0;
  if (bugs > 0) parts.push(`${bugs} bug timelines`);
  if (r.alwaysViolations.length > 0) parts.push(`${r.alwaysViolations.length} always-violations`);
  if (r.coverageViolations.length > 0) {
    parts.push(`${r.coverageViolations.length} coverage violations`);
  }
  return `  (${parts.join(', ')})`;
}
