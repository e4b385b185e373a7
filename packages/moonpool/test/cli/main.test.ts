// The `moonpool` command end to end: spawned as a process against the fixture simulations.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
// Fixtures live in dot-directories, so running the command from the repository root skips them.
const fixture = (dir: string): string =>
  fileURLToPath(new URL(`../../../test/fixtures/${dir}`, import.meta.url));
const SIMS = fixture('.sims');

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function moonpool(args: string[], cwd?: string): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

type Json = Record<string, unknown> & {
  name: string;
  iterations: number;
  successfulRuns: number;
  failedRuns: number;
  seedsUsed: string[];
  seedsFailing: string[];
  alwaysViolations: string[];
  coverageViolations: string[];
  assertions: unknown[];
  runs: { seed: string; ok: boolean; traceHash: string }[];
  error?: string;
};

/** Parses stdout as JSON Lines: every line must be one JSON object. */
function jsonLines(stdout: string): Json[] {
  assert.ok(stdout.endsWith('\n'), 'JSON Lines end with a newline');
  return stdout
    .slice(0, -1)
    .split('\n')
    .map((line) => {
      const value: unknown = JSON.parse(line);
      assert.equal(typeof value, 'object');
      return value as Json;
    });
}

const DECIMAL = /^[0-9]+$/;

/** `sim run flaky --json`, run once and shared by the tests that need its seeds. */
let flakyRun: Promise<Result> | undefined;
const runFlaky = (): Promise<Result> => {
  flakyRun ??= moonpool(['sim', 'run', 'flaky', '--json', '--dir', SIMS]);
  return flakyRun;
};

describe('moonpool sim', { concurrency: true }, () => {
  it('list prints names and descriptions, sorted, from the current directory', async () => {
    const r = await moonpool(['sim', 'list'], SIMS);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.deepEqual(
      lines.map((l) => l.split(/\s+/)[0]),
      ['flaky-rare', 'pass-alpha', 'pass-beta', 'throws-build', 'throws-run'],
    );
    assert.match(r.stdout, /pass-alpha\s+Always passes/);
    assert.doesNotMatch(r.stdout, /helper/);
  });

  it('list --json prints one object per simulation', async () => {
    const r = await moonpool(['sim', 'list', '--json', '--dir', SIMS]);
    assert.equal(r.code, 0, r.stderr);
    const sims = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { name: string; description: string; file: string });
    assert.equal(sims.length, 5);
    assert.deepEqual(sims[0], {
      name: 'flaky-rare',
      description: 'Fails on some seeds',
      file: sims[0]?.file,
    });
    assert.match(sims[0]?.file ?? '', /flaky\.sim\.mjs$/);
  });

  it('run <filter> runs every simulation whose name contains it, exit 0 when all pass', async () => {
    const r = await moonpool(['sim', 'run', 'pass', '--dir', SIMS]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Name: pass-alpha/);
    assert.match(r.stdout, /Name: pass-beta/);
    assert.doesNotMatch(r.stdout, /flaky/);
    assert.match(r.stdout, /Summary: 2 simulations, 2 passed, 0 failed/);
  });

  it('run --json: pure JSON Lines with the report fields and decimal seeds, exit 1 on a failing seed', async () => {
    const r = await runFlaky();
    assert.equal(r.code, 1, r.stderr);
    const [report, ...rest] = jsonLines(r.stdout);
    assert.equal(rest.length, 0);
    assert.ok(report);
    assert.equal(report.name, 'flaky-rare');
    assert.equal(report.iterations, 20);
    assert.equal(report.successfulRuns + report.failedRuns, 20);
    assert.ok(report.failedRuns > 0 && report.successfulRuns > 0, 'the seeded bug hits some seeds only');
    assert.equal(report.seedsUsed.length, 20);
    for (const seed of [...report.seedsUsed, ...report.seedsFailing]) assert.match(seed, DECIMAL);
    assert.equal(report.seedsFailing.length, report.failedRuns);
    assert.ok(report.alwaysViolations.length > 0);
    assert.ok(Array.isArray(report.coverageViolations));
    assert.ok(report.assertions.length > 0);
    assert.equal(report.runs.length, 20);
  });

  it('--seed pins exactly that seed and reproduces its execution', async () => {
    const first = jsonLines(
      (await moonpool(['sim', 'run', 'flaky', '--json', '--dir', SIMS])).stdout,
    );
    const runs = first[0]?.runs ?? [];
    const failing = runs.find((run) => !run.ok);
    const passing = runs.find((run) => run.ok);
    assert.ok(failing && passing);
    await Promise.all(
      [
        { run: failing, code: 1 },
        { run: passing, code: 0 },
      ].map(async ({ run, code }) => {
        const args = ['sim', 'run', 'flaky-rare', '--seed', run.seed, '--json', '--dir', SIMS];
        const r = await moonpool(args);
        assert.equal(r.code, code, r.stderr);
        const [again] = jsonLines(r.stdout);
        assert.deepEqual(again?.seedsUsed, [run.seed]);
        assert.equal(again?.runs[0]?.traceHash, run.traceHash);
      }),
    );
  });

  it('prints the command that reproduces each failing seed', async () => {
    const json = jsonLines(
      (await moonpool(['sim', 'run', 'flaky', '--json', '--dir', SIMS])).stdout,
    );
    const r = await moonpool(['sim', 'run', 'flaky', '--dir', SIMS]);
    assert.equal(r.code, 1);
    const seeds = json[0]?.seedsFailing ?? [];
    assert.ok(seeds.length > 0);
    for (const seed of seeds) {
      assert.ok(r.stdout.includes(`npx moonpool sim run flaky-rare --seed ${seed}`), seed);
    }
  });

  it('--iterations and --base-seed replace the generated seeds', async () => {
    const args = ['sim', 'run', 'pass-alpha', '--iterations', '3', '--base-seed', '7'];
    const r = await moonpool([...args, '--json', '--dir', SIMS]);
    assert.equal(r.code, 0, r.stderr);
    const [report] = jsonLines(r.stdout);
    assert.equal(report?.iterations, 3);
    assert.equal(report?.seedsUsed.length, 3);
    const defaults = jsonLines((await runFlaky()).stdout)[0]?.seedsUsed.slice(0, 3);
    assert.notDeepEqual(report?.seedsUsed, defaults);
  });

  it('run-all runs everything; a simulation that throws fails without stopping the others', async () => {
    const r = await moonpool(['sim', 'run-all', '--json', '--dir', SIMS]);
    assert.equal(r.code, 1, r.stderr);
    const reports = jsonLines(r.stdout);
    assert.deepEqual(
      reports.map((x) => x.name),
      ['flaky-rare', 'pass-alpha', 'pass-beta', 'throws-build', 'throws-run'],
    );
    const byName = new Map(reports.map((x) => [x.name, x]));
    assert.match(byName.get('throws-build')?.error ?? '', /boom in build/);
    assert.match(byName.get('throws-run')?.error ?? '', /at least one workload/);
    assert.equal(byName.get('pass-beta')?.error, undefined);
    assert.equal(byName.get('pass-beta')?.successfulRuns, 3);
  });

  it('a file that fails to import is named, exit 2', async () => {
    const r = await moonpool(['sim', 'list', '--dir', fixture('.broken')]);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /cannot load .*broken\.sim\.mjs/);
    assert.match(r.stderr, /broken on purpose/);
  });

  // The full table of bad usage runs in process (in-process.test.ts); these go end to end.
  const bad: [string[], RegExp][] = [
    [['sim', 'run', 'flaky', '--seed', '-1'], /--seed must be an unsigned 64-bit/],
    [['sim', 'run', 'flaky', '--seed', 'abc'], /--seed must be an unsigned 64-bit/],
    [['sim', 'run', 'flaky', '--iterations', '0'], /--iterations must be a positive integer/],
    [['sim', 'run', 'flaky', '--bogus'], /Unknown option '--bogus'/],
    [['sim', 'run'], /sim run needs a <filter>/],
  ];
  for (const [args, message] of bad) {
    it(`bad usage: moonpool ${args.join(' ')} -> exit 2`, async () => {
      const r = await moonpool([...args, '--dir', SIMS]);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, message);
      assert.match(r.stderr, /moonpool --help/);
    });
  }
});
