import type { ForkRecord, SeedMap } from '@moonpool/explorer';
import { parseBugRecipe } from '@moonpool/explorer';
import type { ExplorationJson } from '@moonpool/sim';
import { thousands } from '@moonpool/sim';
import { reproduceRecipeCommand } from '../cli/reproduce.js';
import { escapeHtml } from './escape.js';
import { clip, command } from './html.js';

/** Fork points shown under one node; the others are summed up in one line. */
const MAX_CHILDREN_SHOWN = 12;
/** Fork points drawn per root seed in all: the page stays quick to open whatever the multiverse. */
const MAX_NODES_PER_SEED = 300;
/** Bugs listed under one fork point. */
const MAX_BUGS_PER_FORK = 5;

type BugJson = ExplorationJson['bugRecipes'][number];

/** A fork point with what its whole subtree holds. */
interface Node {
  readonly index: number;
  readonly fork: ForkRecord;
  readonly children: Node[];
  readonly bugs: { child: number; bug: BugJson }[];
  forks: number;
  timelines: number;
  bugCount: number;
  newBits: number;
}

/** Where the reproduce commands point. */
export interface CommandContext {
  name: string;
  dir: string | undefined;
}

/**
 * The multiverse of one root seed as nested `<details>`: fork points (by mark) under the timeline
 * that found them, the most telling first (bugs, then new coverage, then size), capped per level and
 * per seed with the rest summed up. `bugs` are the seed's bug recipes, in the order of `seed.bugs`.
 */
export function multiverseTree(seed: SeedMap, bugs: readonly BugJson[], ctx: CommandContext): string {
  const nodes: Node[] = seed.forks.map((fork, index) => ({
    index,
    fork,
    children: [],
    bugs: [],
    forks: 1,
    timelines: fork.timelines,
    bugCount: fork.bugs,
    newBits: fork.newBits,
  }));
  const roots: Node[] = [];
  for (const node of nodes) {
    const parent = nodes[node.fork.parent];
    (parent === undefined ? roots : parent.children).push(node);
  }
  const unplaced: BugJson[] = [];
  seed.bugs.forEach((place, i) => {
    const bug = bugs[i];
    if (bug === undefined) return;
    const node = nodes[place.fork];
    if (node === undefined) unplaced.push(bug);
    else node.bugs.push({ child: place.child, bug });
  });
  // Children always come after their parent: one backward pass sums every subtree.
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i] as Node;
    const parent = nodes[node.fork.parent];
    if (parent === undefined) continue;
    parent.forks += node.forks;
    parent.timelines += node.timelines;
    parent.bugCount += node.bugCount;
    parent.newBits += node.newBits;
  }
  const budget = { left: MAX_NODES_PER_SEED };
  const parts = [level(roots, budget, ctx)];
  if (seed.forksOmitted > 0) {
    parts.push(
      `<p class="muted">${thousands(seed.forksOmitted)} deeper fork points (${thousands(seed.timelinesOmitted)} timelines)` +
        ' were counted but not recorded.</p>',
    );
  }
  if (unplaced.length > 0) {
    parts.push('<p>Bugs below the recorded fork points:</p>', ...unplaced.slice(0, MAX_BUGS_PER_FORK).map((b) => bugLine(b, ctx)));
  }
  return parts.join('\n');
}

/** Fork points of one level, the most telling first, within the budget. */
function level(nodes: readonly Node[], budget: { left: number }, ctx: CommandContext): string {
  const ranked = [...nodes].sort(
    (a, b) => b.bugCount - a.bugCount || b.newBits - a.newBits || b.timelines - a.timelines || a.index - b.index,
  );
  const shown = ranked.slice(0, Math.min(MAX_CHILDREN_SHOWN, Math.max(0, budget.left)));
  budget.left -= shown.length;
  const out = shown.map((node) => forkNode(node, budget, ctx));
  const rest = ranked.slice(shown.length);
  if (rest.length > 0) {
    const sum = (f: (n: Node) => number): string => thousands(rest.reduce((s, n) => s + f(n), 0));
    out.push(
      `<p class="muted">… ${sum((n) => n.forks)} more fork points here` +
        ` (${sum((n) => n.timelines)} timelines, ${sum((n) => n.bugCount)} bugs)</p>`,
    );
  }
  return out.join('\n');
}

function forkNode(node: Node, budget: { left: number }, ctx: CommandContext): string {
  const f = node.fork;
  const own = `${thousands(f.timelines)} timelines${f.bugs > 0 ? `, <span class="bug">${f.bugs} bugs</span>` : ''}, +${f.newBits} bits`;
  const below = node.forks > 1
    ? ` <span class="muted">| subtree: ${thousands(node.forks)} fork points, ${thousands(node.timelines)} timelines, ${thousands(node.bugCount)} bugs</span>`
    : '';
  const origin = f.parent < 0 ? 'root timeline' : `child #${f.parentChild}`;
  const summary =
    `<summary><span class="mono">${escapeHtml(JSON.stringify(f.mark))}</span> at draw ${thousands(f.count)}` +
    ` <span class="muted">(depth ${f.depth}, found by ${origin})</span>: ${own}${below}</summary>`;
  const inner: string[] = [];
  for (const { child, bug } of node.bugs.slice(0, MAX_BUGS_PER_FORK)) {
    inner.push(`<div class="bug">child #${child}: bug</div>${bugLine(bug, ctx)}`);
  }
  if (node.bugs.length > MAX_BUGS_PER_FORK) {
    inner.push(`<p class="muted">… ${node.bugs.length - MAX_BUGS_PER_FORK} more bugs at this fork point (listed above)</p>`);
  }
  if (node.children.length > 0) inner.push(level(node.children, budget, ctx));
  return `<details>${summary}\n${inner.join('\n')}</details>`;
}

/** A bug's failure and the command that replays it. */
export function bugLine(bug: BugJson, ctx: CommandContext): string {
  const text = `${bug.rootSeed}:${bug.recipe}`;
  const failure = bug.failure === undefined ? '' : `<pre class="bug">${escapeHtml(`${bug.failure.kind}: ${clip(bug.failure.message, 400)}`)}</pre>`;
  return `${failure}${recipeCommand(text, ctx)}`;
}

/** The command that replays `<seed>:<recipe>`; a recipe that does not parse (a hand-edited report) shows as it is. */
export function recipeCommand(text: string, ctx: CommandContext): string {
  try {
    return command(reproduceRecipeCommand(ctx.name, parseBugRecipe(text), ctx.dir));
  } catch {
    return `<code class="cmd">${escapeHtml(text)}</code>`;
  }
}
