import { ASSERTION_KINDS } from '@moonpool/explorer';
import { type AssertionJson, duration, type RunJson, thousands } from '@moonpool/sim';
import { reproduceCommand } from '../cli/reproduce.js';
import { escapeHtml } from './escape.js';
import { explorationSection } from './exploration-section.js';
import type { SimulationJson } from './input.js';
import { clip, command, facts, more, table } from './html.js';
import { type CommandContext, recipeCommand } from './multiverse-tree.js';
import { simulationDiverged, simulationPassed, verdictReason } from './verdict.js';

/** Failing seeds shown with their reproduce commands (the command line shows 20 too). */
const MAX_FAILING_SHOWN = 20;
/** Rows of the seeds-and-hashes table: failing seeds first, then the others in run order. */
const MAX_RUNS_SHOWN = 100;
/** Buckets listed under an each-assertion. */
const MAX_BUCKETS_SHOWN = 50;
/** Characters of an error text shown. */
const MAX_ERROR_CHARS = 2000;

/** Everything about one simulation; `id` is its anchor in the page. */
export function simulationSection(sim: SimulationJson, id: string, dir: string | undefined): string {
  const passed = simulationPassed(sim);
  const ctx: CommandContext = { name: sim.name, dir };
  const parts = [
    `<section id="${id}">`,
    `<h2>${escapeHtml(sim.name)} <span class="verdict ${passed ? 'pass' : 'fail'}">${passed ? 'PASS' : 'FAIL'}</span></h2>`,
    `<p>${escapeHtml(verdictReason(sim))}</p>`,
  ];
  if (sim.interrupted === true) {
    parts.push('<p class="banner">Interrupted: this report covers what ran until the run was stopped.</p>');
  }
  if (sim.error !== undefined) {
    parts.push('<h3>Error</h3>', `<pre class="bug">${escapeHtml(clip(sim.error, MAX_ERROR_CHARS))}</pre>`);
    parts.push('</section>');
    return parts.join('\n');
  }
  const runs = sim.runs.length;
  const avg = (f: (r: RunJson) => number): number => sim.runs.reduce((s, r) => s + f(r), 0) / Math.max(1, runs);
  parts.push(
    facts([
      ['iterations', thousands(sim.iterations)],
      ['passed', thousands(sim.successfulRuns)],
      ['failed', thousands(sim.failedRuns)],
      ['total wall time', escapeHtml(duration(sim.totalWallMs))],
      ['average events', thousands(Math.round(avg((r) => r.events)))],
      ['average simulated time', escapeHtml(duration(avg((r) => r.simTimeMs)))],
      ['distinct trace hashes', `${thousands(new Set(sim.runs.map((r) => r.traceHash)).size)} of ${thousands(runs)}`],
    ]),
  );
  parts.push(failingSeeds(sim, ctx));
  parts.push(assertionsSection(sim));
  parts.push(messages('Always violations', sim.alwaysViolations, 'bug'));
  parts.push(messages('Coverage violations (never satisfied)', sim.coverageViolations, 'status-miss'));
  parts.push(messages('Warnings', sim.warnings, 'status-miss'));
  parts.push(runsTable(sim));
  if (sim.exploration !== undefined) parts.push(explorationSection(sim.exploration, ctx));
  parts.push('</section>');
  return parts.filter((p) => p !== '').join('\n');
}

/** The failing seeds, each with why it failed and the command that re-runs it. */
function failingSeeds(sim: SimulationJson, ctx: CommandContext): string {
  const failing = sim.runs.filter((r) => !r.ok);
  if (failing.length === 0 && sim.seedsFailing.length === 0) return '';
  const parts = [`<h3>Failing seeds (${thousands(sim.seedsFailing.length)})</h3>`];
  if (sim.replayedRecipe !== undefined) {
    // A replayed timeline is reproduced by its recipe: its seed alone would re-run a whole exploration.
    parts.push(failureText(failing[0]), recipeCommand(sim.replayedRecipe, ctx));
    return parts.join('\n');
  }
  const check = simulationDiverged(sim) ? ' --check-determinism' : '';
  const runBySeed = new Map(failing.map((r) => [r.seed, r]));
  for (const seed of sim.seedsFailing.slice(0, MAX_FAILING_SHOWN)) {
    parts.push(`<h4 class="mono">seed ${escapeHtml(seed)}</h4>`, failureText(runBySeed.get(seed)));
    parts.push(/^[0-9]+$/.test(seed) ? command(`${reproduceCommand(ctx.name, BigInt(seed), ctx.dir)}${check}`) : '');
  }
  parts.push(more(sim.seedsFailing.length - MAX_FAILING_SHOWN, 'failing seeds'));
  return parts.join('\n');
}

function failureText(run: RunJson | undefined): string {
  if (run === undefined) return '';
  const text = run.error ?? (run.alwaysViolations.join('; ') || 'failed');
  return `<pre class="bug">${escapeHtml(clip(text, MAX_ERROR_CHARS))}</pre>`;
}

/** Every assertion with its counts: failures first, then those never satisfied, then the rest. */
function assertionsSection(sim: SimulationJson): string {
  const a = sim.assertions;
  if (a.length === 0) return '<h3>Assertions (0)</h3>';
  const rank = (x: AssertionJson): number => (x.status === 'fail' ? 0 : x.status === 'pass' ? 2 : 1);
  const sorted = a.map((x, i) => [x, i] as const).sort((p, q) => rank(p[0]) - rank(q[0]) || p[1] - q[1]);
  const coverage = a.filter((x) => ASSERTION_KINDS[x.kind]?.family === 'coverage');
  const covered = coverage.filter((x) => x.status === 'pass').length;
  const rows = sorted.map(([x]) => [
    statusCell(x),
    escapeHtml(kindLabel(x)),
    `<span class="mono">${escapeHtml(x.msg)}</span>`,
    thousands(x.passCount),
    thousands(x.failCount),
    assertionDetail(x),
  ]);
  return [
    `<h3>Assertions (${a.length})</h3>`,
    facts([
      ['always-style failing', thousands(a.filter((x) => x.status === 'fail').length)],
      ['coverage-style satisfied', `${thousands(covered)} of ${thousands(coverage.length)}`],
    ]),
    table(['status', 'kind', 'message', 'pass', 'fail', 'detail'], rows, [3, 4]),
  ].join('\n');
}

function statusCell(x: AssertionJson): string {
  if (x.unreached === true) return '<span class="status-miss">NEVER REACHED</span>';
  if (x.status === 'fail') return '<span class="status-fail">FAIL</span>';
  if (x.status === 'pass') return '<span class="status-pass">PASS</span>';
  return '<span class="status-miss">MISS</span>';
}

const CMP_SIGN: Record<string, string> = { gt: '>', ge: '>=', lt: '<', le: '<=' };

function kindLabel(x: AssertionJson): string {
  const label = ASSERTION_KINDS[x.kind]?.label ?? String(x.kind);
  return x.cmp === undefined ? label : `${label} ${CMP_SIGN[x.cmp] ?? x.cmp}`;
}

/** Watermark, frontier, conditions or buckets, whichever the kind has. */
function assertionDetail(x: AssertionJson): string {
  const parts: string[] = [];
  if (x.watermark !== undefined) parts.push(`watermark ${escapeHtml(String(x.watermark))}`);
  if (x.frontier !== undefined) parts.push(`frontier ${x.frontier}`);
  if (x.conditions !== undefined) {
    parts.push(x.conditions.map((c) => `${c.seenTrue ? '✓' : '✗'} ${escapeHtml(c.name)}`).join(', '));
  }
  if (x.buckets !== undefined && x.buckets.length > 0) {
    const rows = x.buckets.slice(0, MAX_BUCKETS_SHOWN).map((b) => [
      `<span class="mono">${escapeHtml(b.key)}</span>`,
      thousands(b.hits),
      b.quality === undefined ? '' : `<span class="mono">${escapeHtml(JSON.stringify(b.quality))}</span>`,
    ]);
    parts.push(
      `<details><summary>${thousands(x.buckets.length)} buckets</summary>` +
        `${table(['bucket', 'hits', 'best quality'], rows, [1])}${more(x.buckets.length - MAX_BUCKETS_SHOWN, 'buckets')}</details>`,
    );
  }
  return parts.join('<br>');
}

function messages(title: string, items: readonly string[], cls: string): string {
  if (items.length === 0) return '';
  return [
    `<h3>${escapeHtml(title)} (${items.length})</h3>`,
    '<ul>',
    ...items.map((m) => `<li class="${cls}"><span class="mono">${escapeHtml(m)}</span></li>`),
    '</ul>',
  ].join('\n');
}

/** Seeds and their trace hashes: failing ones first, then the others in run order, cut at a cap. */
function runsTable(sim: SimulationJson): string {
  if (sim.runs.length === 0) return '';
  const ordered = [...sim.runs.filter((r) => !r.ok), ...sim.runs.filter((r) => r.ok)];
  const rows = ordered.slice(0, MAX_RUNS_SHOWN).map((r) => [
    `<span class="mono">${escapeHtml(r.seed)}</span>`,
    r.ok ? '<span class="status-pass">ok</span>' : `<span class="status-fail">${escapeHtml(r.failure?.kind ?? 'failed')}</span>`,
    `<span class="mono">${escapeHtml(r.traceHash)}</span>`,
    thousands(r.events),
    escapeHtml(duration(r.simTimeMs)),
    escapeHtml(duration(r.wallMs)),
  ]);
  const title = sim.exploration === undefined ? 'Seeds and trace hashes' : 'Root seeds and trace hashes';
  return [
    `<details${sim.runs.length <= 20 ? ' open' : ''}><summary><b>${title} (${thousands(sim.runs.length)})</b></summary>`,
    table(['seed', 'result', 'trace hash', 'events', 'simulated', 'wall'], rows, [3, 4, 5]),
    more(sim.runs.length - MAX_RUNS_SHOWN, 'runs'),
    '</details>',
  ].join('\n');
}
