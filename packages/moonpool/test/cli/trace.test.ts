// `sim run --trace`: the command end to end (in this process), and the usage errors around it.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { cli } from '../support/run-cli.js';

const fixtures = (dir: string): string => fileURLToPath(new URL(`../../../test/fixtures/${dir}`, import.meta.url));
const SIMS = fixtures('.sims');
const EXPLORE = fixtures('.explore');

const dir = mkdtempSync(join(tmpdir(), 'moonpool-cli-trace-'));
after(() => rmSync(dir, { recursive: true, force: true }));

interface TraceFile {
  traceEvents: { ph: string; name: string; pid: number; tid: number; ts: number; cat?: string; args?: object }[];
  otherData: { simulation: string; seed: string; recipe?: string; traceHash: string; failure: string | null };
}

function readTrace(file: string): TraceFile {
  return JSON.parse(readFileSync(file, 'utf8')) as TraceFile;
}

describe('moonpool sim run --trace', () => {
  it('writes the execution of one seed, with the run\'s trace hash, and says so on stderr', async () => {
    const file = join(dir, 'alpha.json');
    const r = await cli(['sim', 'run', 'pass-alpha', '--seed', '42', '--trace', file, '--json', '--dir', SIMS]);
    assert.equal(r.code, 0, r.stderr);
    const line = JSON.parse(r.stdout) as { runs: { traceHash: string }[] };
    const trace = readTrace(file);
    assert.equal(trace.otherData.simulation, 'pass-alpha');
    assert.equal(trace.otherData.seed, '42');
    assert.equal(trace.otherData.traceHash, line.runs[0]?.traceHash);
    assert.ok(trace.traceEvents.some((e) => e.ph === 'X' && e.name === 'sleep'));
    assert.match(r.stderr, /^moonpool: trace written to .*alpha\.json \(\d+ events, [0-9.]+ MB\); open it in/);
  });

  it('traces a failing seed: exit 1, the failure marked in the trace', async () => {
    // About a quarter of flaky-rare's seeds fail: find one, then trace it.
    const all = await cli(['sim', 'run', 'flaky-rare', '--json', '--dir', SIMS]);
    const failing = (JSON.parse(all.stdout) as { seedsFailing: string[] }).seedsFailing[0];
    assert.ok(failing !== undefined, 'some seed of flaky-rare fails');
    const file = join(dir, 'flaky.json');
    const r = await cli(['sim', 'run', 'flaky-rare', '--seed', failing, '--trace', file, '--dir', SIMS]);
    assert.equal(r.code, 1);
    const trace = readTrace(file);
    assert.match(String(trace.otherData.failure), /rare/);
    assert.ok(trace.traceEvents.some((e) => e.cat === 'verdict'));
    assert.ok(trace.traceEvents.some((e) => e.cat === 'assertion' && e.name === 'rare'));
  });

  it('traces the timeline of a recipe, and only the root timeline of an exploring simulation\'s seed', async () => {
    const explored = await cli(['sim', 'run', 'explore-gates', '--json', '--dir', EXPLORE]);
    type Explored = {
      runs: { seed: string; traceHash: string }[];
      exploration: { bugRecipes: { rootSeed: string; recipe: string; traceHash: string }[] };
    };
    const exploredLine = JSON.parse(explored.stdout) as Explored;
    const bug = exploredLine.exploration.bugRecipes[0];
    assert.ok(bug !== undefined, 'the exploration finds a bug');
    const file = join(dir, 'recipe.json');
    const recipe = `${bug.rootSeed}:${bug.recipe}`;
    const replay = await cli(['sim', 'run', 'explore-gates', '--recipe', recipe, '--trace', file, '--dir', EXPLORE]);
    assert.equal(replay.code, 1);
    const trace = readTrace(file);
    assert.equal(trace.otherData.traceHash, bug.traceHash);
    assert.equal(trace.otherData.recipe, recipe);

    const root = join(dir, 'root.json');
    const seed = await cli(
      ['sim', 'run', 'explore-gates', '--seed', bug.rootSeed, '--trace', root, '--json', '--dir', EXPLORE],
    );
    type Line = { iterations: number; exploration?: unknown; runs: { traceHash: string }[] };
    const line = JSON.parse(seed.stdout) as Line;
    assert.equal(line.iterations, 1);
    assert.equal(line.exploration, undefined, 'no exploration: one execution');
    assert.equal(readTrace(root).otherData.traceHash, line.runs[0]?.traceHash);
    const rootRun = exploredLine.runs.find((r) => r.seed === bug.rootSeed);
    assert.equal(line.runs[0]?.traceHash, rootRun?.traceHash, 'the same execution as the exploration\'s root timeline');
  });

  it('cuts at --trace-max-events with a warning saying where and how to trace less', async () => {
    const file = join(dir, 'cut.json');
    const args = ['sim', 'run', 'pass-alpha', '--seed', '1', '--trace', file, '--trace-max-events', '3'];
    const r = await cli([...args, '--dir', SIMS]);
    assert.equal(r.code, 0);
    assert.match(r.stderr, /warning: the trace was cut at \d+ms of simulated time: it reached its limit of 3 events/);
    assert.match(r.stderr, /--trace-window <from>\.\.<until>/);
    const trace = readTrace(file);
    assert.equal(trace.traceEvents.at(-1)?.name, 'trace cut here');
  });

  it('rejects what is not one execution of one simulation, and bad values, with exit 2', async () => {
    const file = join(dir, 'never.json');
    const cases: [string[], RegExp][] = [
      [['sim', 'run', 'pass-alpha', '--trace', file], /exactly one --seed or a --recipe \(no --seed was given\)/],
      [['sim', 'run', 'pass-alpha', '--seed', '1', '--seed', '2', '--trace', file], /2 seeds were given/],
      [['sim', 'run', 'pass-alpha', '--iterations', '3', '--trace', file], /exactly one --seed/],
      [['sim', 'run-all', '--seed', '1', '--trace', file], /applies only to sim run/],
      [['sim', 'list', '--trace', file], /applies only to sim run/],
      [['sim', 'run', 'pass', '--seed', '1', '--trace', file], /matches 2 simulations \(pass-alpha, pass-beta\): name one/],
      [['sim', 'run', 'pass-alpha', '--seed', '1', '--trace-window', '1..2'], /--trace-window needs --trace/],
      [['sim', 'run', 'pass-alpha', '--seed', '1', '--shard', '1/2', '--trace', file], /drop --shard and --range/],
      [['sim', 'run', 'pass-alpha', '--seed', '1', '--trace', file, '--trace-max-events', '0'], /positive integer/],
      [['sim', 'run', 'pass-alpha', '--seed', '1', '--trace', file, '--trace-window', '5..1'], /ends before it starts/],
      [['sim', 'run', 'pass-alpha', '--seed', '1', '--trace', file, '--trace-window', 'soon'], /<from>\.\.<until>/],
      [['sim', 'run', 'pass-alpha', '--seed', '1', '--trace', join(dir, 'no', 'dir.json')], /--trace: cannot write/],
      [['sim', 'run', 'pass-alpha', '--seed', '1', '--trace', dir], /--trace: cannot write .*: it is a directory/],
    ];
    for (const [args, message] of cases) {
      const r = await cli([...args, '--dir', SIMS]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message, args.join(' '));
      assert.equal(r.stdout, '');
    }
  });
});
