// `--recipe`: replaying one timeline found by exploration, through runCli in this process.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { cli } from '../support/run-cli.js';

const EXPLORE = fileURLToPath(new URL('../../../test/fixtures/.explore', import.meta.url));
const NAME = 'explore-gates';

interface BugJson {
  rootSeed: string;
  recipe: string;
  traceHash?: string;
}

interface ReportLine {
  iterations: number;
  seedsUsed: string[];
  alwaysViolations: string[];
  runs: { seed: string; ok: boolean; traceHash: string; alwaysViolations: string[] }[];
  exploration?: { bugsFound: number; totalTimelines: number; bugRecipes: BugJson[] };
}

async function runJson(args: string[]): Promise<{ code: number; line: ReportLine }> {
  const r = await cli(['sim', 'run', NAME, ...args, '--json', '--dir', EXPLORE]);
  assert.equal(r.stderr, '');
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 1);
  return { code: r.code, line: JSON.parse(lines[0] as string) as ReportLine };
}

/** Undoes reproduce.ts's POSIX quoting of one word. */
function shellUnquote(word: string): string {
  if (!word.startsWith("'")) return word;
  assert.ok(word.endsWith("'"), word);
  return word.slice(1, -1).replaceAll("'\\''", "'");
}

describe('moonpool sim run --recipe', () => {
  it('replays each bug timeline of the exploration with the same trace hash', async () => {
    const explored = await runJson([]);
    // The bug is an always-violation: exit 1.
    assert.equal(explored.code, 1);
    const e = explored.line.exploration;
    assert.ok(e, 'the JSON line has an exploration section');
    assert.ok(e.bugsFound > 0);
    assert.equal(e.bugRecipes.length, e.bugsFound);
    assert.equal(explored.line.iterations, 1);
    for (const bug of e.bugRecipes) {
      assert.match(bug.rootSeed, /^\d+$/);
      assert.match(bug.recipe, /^\d+@\d+( -> \d+@\d+)*$/);
      assert.ok(bug.traceHash);
      const replay = await runJson(['--recipe', `${bug.rootSeed}:${bug.recipe}`]);
      assert.equal(replay.code, 1, 'the replayed timeline fails');
      const line = replay.line;
      assert.equal(line.iterations, 1);
      assert.deepEqual(line.seedsUsed, [bug.rootSeed]);
      assert.equal(line.runs[0]?.traceHash, bug.traceHash);
      assert.equal(line.runs[0]?.ok, false);
      assert.deepEqual(line.runs[0]?.alwaysViolations, ['all locks open']);
      assert.equal(line.exploration, undefined, 'a replay explores nothing');
    }
    // The empty recipe is the root timeline: it passes, with the exploration's root trace hash.
    const root = await runJson(['--recipe', `${explored.line.seedsUsed[0]}:`]);
    assert.equal(root.code, 0);
    assert.equal(root.line.runs[0]?.traceHash, explored.line.runs[0]?.traceHash);
  });

  it('the human report prints a replay command for each bug, and the command replays it', async () => {
    const json = await runJson([]);
    const bugs = json.line.exploration?.bugRecipes ?? [];
    assert.ok(bugs.length > 0);
    const r = await cli(['sim', 'run', NAME, '--dir', EXPLORE]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /--- Exploration ---/);
    assert.match(r.stdout, new RegExp(`--- Replay a bug found by exploration \\(${bugs.length}\\) ---`));
    const pattern = /^ {2}npx moonpool sim run explore-gates --recipe ('[^']*'|\S+) --dir (\S+)$/;
    const commands = r.stdout
      .split('\n')
      .map((line) => pattern.exec(line))
      .filter((m): m is RegExpExecArray => m !== null);
    assert.equal(commands.length, Math.min(bugs.length, 20));
    commands.forEach((m, i) => {
      const bug = bugs[i] as BugJson;
      assert.equal(shellUnquote(m[1] as string), `${bug.rootSeed}:${bug.recipe}`);
      assert.equal(m[2], EXPLORE);
    });
    // Running the printed command (as a shell would split it) replays the bug.
    const first = commands[0] as RegExpExecArray;
    const replay = await runJson(['--recipe', shellUnquote(first[1] as string)]);
    assert.equal(replay.line.runs[0]?.traceHash, bugs[0]?.traceHash);
  });

  const bad: [string[], RegExp][] = [
    [['--recipe', 'abc'], /--recipe: .*must look like <seed>:<recipe>/],
    [['--recipe', '1:x@y'], /--recipe: recipe step 1\b/],
    [['--recipe', '1:5@-3'], /--recipe: recipe step 1\b/],
    [['--recipe', '1:5@3 -> 9'], /--recipe: recipe step 2\b/],
    [['--recipe', '18446744073709551616:5@3'], /--recipe: .*root seed/],
    [['--recipe', '1:5@3', '--seed', '4'], /--recipe replays one timeline/],
    [['--seed', '4', '--recipe', '1:5@3'], /--recipe replays one timeline/],
    [['--recipe', '1:5@3', '--iterations', '4'], /--recipe replays one timeline/],
    [['--recipe', '1:5@3', '--base-seed', '4'], /--recipe replays one timeline/],
  ];
  for (const [args, message] of bad) {
    it(`bad usage: sim run ${NAME} ${args.join(' ')} -> exit 2`, async () => {
      const r = await cli(['sim', 'run', NAME, ...args, '--dir', EXPLORE]);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, message);
      assert.match(r.stderr, /--recipe/);
    });
  }

  it('a recipe whose step the timeline never reaches is exit 2, naming the step and the draws made', async () => {
    const root = await runJson([]);
    const seed = root.line.seedsUsed[0] as string;
    const r = await cli(['sim', 'run', NAME, '--recipe', `${seed}:999999@6`, '--dir', EXPLORE]);
    assert.equal(r.code, 2, r.stdout);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /recipe step 1 \(draw 999999\) not reached: the timeline made \d+ draws\n/);
    // A later step: the draws are counted from the step before it.
    const bug = root.line.exploration?.bugRecipes[0] as BugJson;
    const deeper = await cli(['sim', 'run', NAME, '--recipe', `${bug.rootSeed}:${bug.recipe} -> 999999@6`, '--dir', EXPLORE]);
    assert.equal(deeper.code, 2);
    const steps = bug.recipe.split(' -> ').length;
    assert.match(
      deeper.stderr,
      new RegExp(`recipe step ${steps + 1} \\(draw 999999\\) not reached: the timeline made \\d+ draws after step ${steps}`),
    );
  });

  it('a failing replay prints the --recipe command that reproduces it, not --seed', async () => {
    const root = await runJson([]);
    const bug = root.line.exploration?.bugRecipes[0] as BugJson;
    const r = await cli(['sim', 'run', NAME, '--recipe', `${bug.rootSeed}:${bug.recipe}`, '--dir', EXPLORE]);
    assert.equal(r.code, 1);
    const reproduce = r.stdout.split('--- Reproduce (1) ---\n')[1]?.split('\n')[0] ?? '';
    assert.match(reproduce, /^ {2}npx moonpool sim run explore-gates --recipe /);
    assert.doesNotMatch(r.stdout, /--seed/);
    const quoted = /--recipe ('[^']*'|\S+)/.exec(reproduce)?.[1] ?? '';
    assert.equal(shellUnquote(quoted), `${bug.rootSeed}:${bug.recipe}`);
  });

  it('--recipe does not apply to sim list', async () => {
    const r = await cli(['sim', 'list', '--recipe', '1:5@3', '--dir', EXPLORE]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--recipe applies only to sim run/);
  });
});
