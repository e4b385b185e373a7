import type { ForkRecord } from '@moonpool/explorer';
import type { ExplorationJson } from '@moonpool/sim';
import { thousands } from '@moonpool/sim';
import { coverageChart } from './coverage-chart.js';
import { escapeHtml } from './escape.js';
import { facts, more, table } from './html.js';
import { bugLine, type CommandContext, multiverseTree } from './multiverse-tree.js';

/** Bug recipes listed in full (the tree places them too). */
const MAX_BUGS_LISTED = 20;
/** Rows of the fork points by mark. */
const MAX_MARKS_SHOWN = 40;

/** Timelines, fork points, energy, coverage (the curve), bugs and the multiverse tree of one run. */
export function explorationSection(e: ExplorationJson, ctx: CommandContext): string {
  const parts = ['<div class="exploration">', '<h3>Exploration</h3>'];
  parts.push(
    facts([
      ['timelines', thousands(e.totalTimelines)],
      ['fork points', thousands(e.forkPoints)],
      ['bugs', `${e.bugsFound > 0 ? '<span class="bug">' : '<span>'}${thousands(e.bugsFound)}</span>`],
      ['coverage', `${thousands(e.coverageBits)} / ${thousands(e.coverageTotal)} bits`],
      ['converged', e.converged ? 'yes' : 'no'],
      ['energy left', thousands(e.energyRemaining)],
      ['realloc pool', thousands(e.reallocPoolRemaining)],
      ['timelines per root seed', e.perSeedTimelines.map(thousands).join(', ')],
      ['threads', String(e.threads)],
    ]),
  );
  if (e.codeCoverage !== undefined) {
    const c = e.codeCoverage;
    parts.push(facts([['code coverage', `${thousands(c.blocksCovered)} / ${thousands(c.blocks)} blocks`]]));
  }
  if (e.bugRecipes.length > 0) {
    parts.push(`<h3>Bugs found by exploration (${thousands(e.bugRecipes.length)})</h3>`);
    parts.push(...e.bugRecipes.slice(0, MAX_BUGS_LISTED).map((b) => bugLine(b, ctx)));
    parts.push(more(e.bugRecipes.length - MAX_BUGS_LISTED, 'bug recipes'));
  }
  const map = e.multiverse;
  if (map === undefined) {
    parts.push('<p class="muted">The run kept no multiverse map (builder.recordMultiverseMap(); --report turns it on).</p>');
    return [...parts, '</div>'].join('\n');
  }
  parts.push('<h3>Coverage over time</h3>', coverageChart(map.coverage, e.coverageTotal));
  parts.push('<h3>Multiverse</h3>');
  parts.push(
    '<p class="muted">Each root seed\'s fork points under the timeline that found them; a fork point\'s children' +
      ' are timelines reseeded there. Bugs first, then new coverage; long levels are cut.</p>',
  );
  // Bug recipes are listed seed after seed, in the order of each seed's map.
  let offset = 0;
  for (const seed of map.seeds) {
    const bugs = e.bugRecipes.slice(offset, offset + seed.bugs.length);
    offset += seed.bugs.length;
    const timelines = seed.forks.reduce((n, f) => n + f.timelines, 0) + seed.timelinesOmitted;
    parts.push(
      `<details open><summary>root seed <span class="mono">${escapeHtml(seed.rootSeed)}</span>:` +
        ` ${thousands(seed.forks.length + seed.forksOmitted)} fork points, ${thousands(timelines)} timelines,` +
        ` ${thousands(seed.bugs.length)} bugs</summary>`,
      multiverseTree(seed, bugs, ctx),
      '</details>',
    );
  }
  parts.push(marksTable(map.seeds.flatMap((s) => s.forks)), '</div>');
  return parts.join('\n');
}

/** Fork points summed by mark: which discoveries the exploration spent its timelines on. */
function marksTable(forks: readonly ForkRecord[]): string {
  const byMark = new Map<string, { forks: number; timelines: number; bugs: number; newBits: number; depth: number }>();
  for (const f of forks) {
    const m = byMark.get(f.mark) ?? { forks: 0, timelines: 0, bugs: 0, newBits: 0, depth: 0 };
    m.forks++;
    m.timelines += f.timelines;
    m.bugs += f.bugs;
    m.newBits += f.newBits;
    m.depth = Math.max(m.depth, f.depth);
    byMark.set(f.mark, m);
  }
  if (byMark.size === 0) return '';
  const rows = [...byMark].sort((a, b) => b[1].timelines - a[1].timelines || (a[0] < b[0] ? -1 : 1));
  return [
    `<details><summary>Fork points by mark (${byMark.size})</summary>`,
    table(
      ['mark', 'fork points', 'timelines', 'bugs', 'new bits', 'deepest'],
      rows
        .slice(0, MAX_MARKS_SHOWN)
        .map(([mark, m]) => [
          `<span class="mono">${escapeHtml(JSON.stringify(mark))}</span>`,
          thousands(m.forks),
          thousands(m.timelines),
          thousands(m.bugs),
          thousands(m.newBits),
          String(m.depth),
        ]),
      [1, 2, 3, 4, 5],
    ),
    more(rows.length - MAX_MARKS_SHOWN, 'marks', 'fewer timelines each'),
    '</details>',
  ].join('\n');
}
