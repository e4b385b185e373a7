// Sharded runs and `moonpool merge`: the command spawned on the bundled maze, and in this process
// (faster) on a fixture with failing seeds and an exploration, and for its errors.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { cli } from '../support/run-cli.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const MAZE = fileURLToPath(new URL('../../../../../examples/dist/src/maze', import.meta.url));
const SHARDS = fileURLToPath(new URL('../../../test/fixtures/.shards', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'moonpool-shards-'));
after(() => rmSync(work, { recursive: true, force: true }));
const file = (name: string): string => join(work, name);

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function spawned(args: string[]): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], {
      cwd: work,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

type Line = Record<string, unknown> & { runs: { wallMs?: number }[] };

/** JSON lines without what wall-clock time and the machine decide (and the merge's own facts). */
function comparable(stdout: string): unknown[] {
  return stdout
    .trimEnd()
    .split('\n')
    .map((text) => {
      const { totalWallMs: _t, merge: _m, runs, exploration, ...rest } = JSON.parse(text) as Line;
      const e = exploration as Record<string, unknown> | undefined;
      return {
        ...rest,
        runs: runs.map(({ wallMs: _w, ...run }) => run),
        ...(e === undefined ? {} : { exploration: { ...e, threads: 0 } }),
      };
    });
}

describe('moonpool sim run --shard/--range --out and moonpool merge', () => {
  it('merges shards of maze (processes), in any order and with a duplicate, into the unsharded report', async () => {
    const maze = ['sim', 'run', 'maze', '--iterations', '30', '--dir', MAZE];
    const [whole, ...shards] = await Promise.all([
      spawned([...maze, '--json']),
      spawned([...maze, '--shard', '1/2', '--out', file('maze-1.json')]),
      spawned([...maze, '--shard', '2/2', '--out', file('maze-2.json')]),
    ]);
    for (const r of [whole, ...shards]) assert.equal(r?.code, 0, r?.stderr);
    const merged = await spawned(['merge', file('maze-2.json'), file('maze-1.json'), file('maze-2.json'), '--json']);
    assert.equal(merged.code, 0, merged.stderr);
    assert.deepEqual(comparable(merged.stdout), comparable(whole?.stdout ?? ''));
    const facts = (JSON.parse(merged.stdout) as { merge: { complete: boolean; unused: { reason: string }[] } }).merge;
    assert.equal(facts.complete, true);
    assert.deepEqual(
      facts.unused.map((u) => u.reason),
      ['duplicate'],
    );
  });

  it('run-all shards hold every simulation; the merge fails like the run, with reproduce commands', async () => {
    const whole = await cli(['sim', 'run-all', '--shard', '1/1', '--json', '--dir', SHARDS]);
    assert.equal(whole.code, 1, 'shard-flaky has failing seeds');
    const parts = [file('all-1.json'), file('all-2.json')];
    for (const [i, out] of parts.entries()) {
      const r = await cli(['sim', 'run-all', '--shard', `${i + 1}/2`, '--out', out, '--dir', SHARDS]);
      assert.equal(r.code, 1, r.stderr);
    }
    const merged = await cli(['merge', ...parts.reverse(), '--out', file('all.json'), '--json']);
    assert.equal(merged.code, 1, merged.stderr);
    assert.deepEqual(comparable(merged.stdout), comparable(whole.stdout));
    // The merged file merges again to the same report; as text, with the commands that reproduce.
    const again = await cli(['merge', file('all.json'), '--json']);
    assert.deepEqual(comparable(again.stdout), comparable(whole.stdout));
    const text = await cli(['merge', file('all.json')]);
    assert.match(text.stdout, /--- Reproduce \(\d+\) ---\n {2}npx moonpool sim run shard-flaky --seed \d+/);
    assert.match(text.stdout, /--- Replay a bug found by exploration/);
    assert.match(text.stdout, /Covered: 0:24 of 24 indices/);
    // Drawn as a page too: the merged verdict and the failing seeds' commands.
    const page = await cli(['merge', file('all.json'), '--report', file('all.html')]);
    assert.equal(page.code, 1, page.stderr);
    assert.match(page.stderr, /HTML report written to .*all\.html/);
    const html = readFileSync(file('all.html'), 'utf8');
    assert.match(html, /<title>Moonpool report: FAILED/);
    const lines = whole.stdout.trimEnd().split('\n');
    const failing = lines.flatMap((line) => (JSON.parse(line) as { seedsFailing: string[] }).seedsFailing);
    assert.ok(failing.length > 0);
    for (const s of failing) assert.ok(html.includes(`--seed ${s}`), `no command for failing seed ${s}`);
  });

  it('says which indices an incomplete merge misses, and exits 1', async () => {
    const a = file('range-a.json');
    const r = await cli(['sim', 'run', 'shard-flaky', '--range', '0:4', '--out', a, '--dir', SHARDS]);
    assert.ok(r.code === 0 || r.code === 1, r.stderr);
    const merged = await cli(['merge', a]);
    assert.equal(merged.code, 1);
    assert.match(merged.stdout, /INCOMPLETE: missing 4:24/);
    assert.match(merged.stderr, /merge incomplete: shard-flaky misses 4:24/);
  });

  it('exits 2 on bad selections, mismatched parts and bad files', async () => {
    const run = ['sim', 'run', 'shard-flaky', '--dir', SHARDS];
    const usage = [
      [[...run, '--shard', '4/3'], /--shard must be i\/n with 1 <= i <= n/],
      [[...run, '--shard', 'x'], /--shard must be i\/n/],
      [[...run, '--range', '3:3'], /--range must be from:to/],
      [[...run, '--shard', '1/2', '--range', '0:1'], /give one of them/],
      [[...run, '--seed', '1', '--shard', '1/2'], /drop --seed and --recipe/],
      [[...run, '--iterations', '5', '--range', '0:9'], /goes beyond the run's 5 iterations/],
      [['merge'], /merge needs the report files/],
      [['merge', 'a.json', '--shard', '1/2'], /--shard does not apply to merge/],
      [['merge', 'a.json', '--report', join(work, 'no-such-folder', 'r.html')], /--report: the folder of .* does not exist/],
      [['merge', file('nothing-here.json')], /cannot read .*nothing-here\.json/],
    ] as const;
    for (const [args, message] of usage) {
      const r = await cli([...args]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
    }
    const a = file('mismatch-a.json');
    const b = file('mismatch-b.json');
    await cli([...run, '--iterations', '6', '--shard', '1/2', '--out', a]);
    await cli([...run, '--iterations', '6', '--base-seed', '9', '--shard', '2/2', '--out', b]);
    const mismatch = await cli(['merge', a, b]);
    assert.equal(mismatch.code, 2);
    assert.match(mismatch.stderr, /different configurations \(base seed \d+ vs 9\)/);
    const cut = file('cut.json');
    writeFileSync(cut, readFileSync(a, 'utf8').slice(0, 50));
    const truncated = await cli(['merge', cut]);
    assert.equal(truncated.code, 2);
    assert.match(truncated.stderr, /cut\.json: not valid JSON \(is the file truncated\?\)/);
  });
});
