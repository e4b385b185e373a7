// The command's behaviour through runCli, in this process: the cases that need no real process.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { cli } from '../support/run-cli.js';

const fixture = (dir: string): string =>
  fileURLToPath(new URL(`../../../test/fixtures/${dir}`, import.meta.url));
const SIMS = fixture('.sims');

describe('moonpool sim (in process)', () => {
  it('--help prints the usage, exit 0', async () => {
    const r = await cli(['sim', 'run', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Usage: moonpool sim/);
  });

  it('a filter that matches nothing lists the available names, exit 2', async () => {
    const r = await cli(['sim', 'run', 'nothing-like-this', '--dir', SIMS]);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /no simulation name contains 'nothing-like-this'/);
    assert.match(r.stderr, /pass-alpha/);
  });

  it('an exact name runs only that simulation', async () => {
    const r = await cli(['sim', 'run', 'pass-beta', '--dir', SIMS]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Name: pass-beta/);
    assert.doesNotMatch(r.stdout, /pass-alpha|Summary/);
  });

  it('two simulations with one name are an error, exit 2', async () => {
    const r = await cli(['sim', 'run-all', '--dir', fixture('.duplicate')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /two simulations are named 'twin'.*one\.sim\.mjs.*two\.sim\.mjs/);
  });

  it('run-all with no simulation files is an error, exit 2', async () => {
    const r = await cli(['sim', 'run-all', '--dir', fixture('')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no simulations found/);
  });

  it('a missing directory is an error, exit 2', async () => {
    const r = await cli(['sim', 'list', '--dir', fixture('.no-such-dir')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /directory not found/);
  });

  it('a simulation that throws is reported with its error, exit 1', async () => {
    const r = await cli(['sim', 'run', 'throws-build', '--dir', SIMS]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /ERROR: the simulation threw[\s\S]*boom in build/);
  });

  it('a simulation that expects failure passes when a seed fails and fails when none does', async () => {
    const found = await cli(['sim', 'run', 'bug-found', '--dir', fixture('.expected'), '--json']);
    assert.equal(found.code, 0);
    const line = JSON.parse(found.stdout);
    assert.equal(line.expectFailure, true);
    assert.ok(line.seedsFailing.length > 0);
    const missed = await cli(['sim', 'run', 'bug-missed', '--dir', fixture('.expected')]);
    assert.equal(missed.code, 1);
    assert.match(missed.stdout, /Name: bug-missed/);
  });

  it('accepts the largest unsigned 64-bit seed', async () => {
    const max = '18446744073709551615';
    const r = await cli(['sim', 'run', 'pass-alpha', '--seed', max, '--json', '--dir', SIMS]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).seedsUsed, [max]);
  });

  it('several --seed flags run those seeds in order', async () => {
    const r = await cli([
      'sim',
      'run',
      'pass-alpha',
      '--seed',
      '3',
      '--seed',
      '1',
      '--json',
      '--dir',
      SIMS,
    ]);
    assert.deepEqual(JSON.parse(r.stdout).seedsUsed, ['3', '1']);
  });

  const bad: [string[], RegExp][] = [
    [['sim', 'run', 'flaky', '--seed', '-1'], /--seed must be an unsigned 64-bit/],
    [['sim', 'run', 'flaky', '--seed', 'abc'], /--seed must be an unsigned 64-bit/],
    [['sim', 'run', 'flaky', '--seed', '18446744073709551616'], /--seed must be at most/],
    [['sim', 'run', 'flaky', '--seed', '0x10'], /--seed must be an unsigned 64-bit/],
    [['sim', 'run', 'flaky', '--seed', ''], /--seed must be an unsigned 64-bit/],
    [['sim', 'run', 'flaky', '--iterations', '0'], /--iterations must be a positive integer/],
    [['sim', 'run', 'flaky', '--iterations', '1.5'], /--iterations must be a positive integer/],
    [['sim', 'run', 'flaky', '--iterations', '-2'], /--iterations must be a positive integer/],
    [['sim', 'run', 'flaky', '--base-seed', '-5'], /--base-seed must be an unsigned 64-bit/],
    [['sim', 'run', 'flaky', '--bogus'], /Unknown option '--bogus'/],
    [['sim', 'run', 'flaky', '--json=yes'], /--json/],
    [['sim', 'run', 'flaky', '--seed'], /--seed/],
    [['sim', 'run'], /sim run needs a <filter>/],
    [['sim'], /missing command after sim/],
    [['sim', 'launch'], /unknown command 'sim launch'/],
    [['build'], /unknown command 'build'/],
    [[], /missing command/],
    [['sim', 'list', '--seed', '1'], /--seed applies only to sim run/],
    [['sim', 'list', '--iterations', '1'], /--iterations applies only to sim run/],
    [['sim', 'run', 'flaky', '--seed', '1', '--iterations', '2'], /drop --iterations/],
    [
      ['sim', 'run', 'flaky', '--seed', '1', '--base-seed', '2'],
      /drop --iterations and --base-seed/,
    ],
    [['sim', 'run', 'a', 'b'], /unexpected argument 'b'/],
    [['sim', 'run-all', 'extra'], /unexpected argument 'extra'/],
    [['sim', 'list', 'extra'], /unexpected argument 'extra'/],
  ];
  for (const [args, message] of bad) {
    it(`bad usage: moonpool ${args.join(' ')} -> exit 2`, async () => {
      // --dir last, so a flag missing its value is followed by another option, not a word.
      const r = await cli([...args, '--dir', SIMS]);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, message);
      assert.match(r.stderr, /Run 'moonpool --help' for usage/);
    });
  }
});
