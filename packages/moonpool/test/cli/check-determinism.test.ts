// `--check-determinism`: every seed runs twice; a simulation whose two runs of a seed differ fails
// (exit 1), naming the first differing event, even when it declares a failure expected.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { cli } from '../support/run-cli.js';

const DIR = fileURLToPath(new URL('../../../test/fixtures/.nondeterministic', import.meta.url));

function run(args: string[]): ReturnType<typeof cli> {
  return cli(['sim', ...args, '--dir', DIR]);
}

describe('moonpool sim run --check-determinism', () => {
  it('a deterministic simulation passes', async () => {
    const r = await run(['run', 'steady', '--check-determinism']);
    assert.equal(r.code, 0, r.stdout);
  });

  it('a simulation that keeps state between runs fails, naming the first differing event', async () => {
    const r = await run(['run', 'drift', '--check-determinism']);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /nondeterminism: the same execution gave trace hashes [0-9a-f]{16} and [0-9a-f]{16}/);
    assert.match(r.stdout, /event \d+ differs: Timer at \d+ ms \(seq \d+, machine 10\.0\.0\.\d+, after \d+ draws\) in one run/);
    assert.match(r.stdout, /npx moonpool sim run drift --seed \d+ --dir \S+ --check-determinism/);
  });

  it('without the flag the same simulation passes', async () => {
    const r = await run(['run', 'drift']);
    assert.equal(r.code, 0, r.stdout);
  });

  it('nondeterminism is not the failure a simulation expects', async () => {
    const expected = await run(['run', 'drift-expected']);
    assert.equal(expected.code, 0, 'without the check, its bug is found as expected');
    const r = await run(['run', 'drift-expected', '--check-determinism']);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /nondeterminism: the same execution gave trace hashes/);
  });

  it('run-all checks every simulation; JSON carries the failure and where the runs parted', async () => {
    const r = await run(['run-all', '--check-determinism', '--json']);
    assert.equal(r.code, 1);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as {
      name: string;
      runs: { ok: boolean; failure?: { kind: string; divergence?: { cause: string; first: { kind: string } } } }[];
    });
    const byName = new Map(lines.map((l) => [l.name, l]));
    assert.deepEqual([...byName.keys()].sort(), ['drift', 'drift-expected', 'steady']);
    assert.ok(byName.get('steady')?.runs.every((x) => x.ok));
    const failure = byName.get('drift')?.runs[0]?.failure;
    assert.equal(failure?.kind, 'nondeterminism');
    assert.equal(failure?.divergence?.cause, 'event');
    assert.equal(failure?.divergence?.first.kind, 'Timer');
  });

  it('the run-all summary marks the nondeterministic simulations', async () => {
    const r = await run(['run-all', '--check-determinism']);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /FAIL {2}drift-expected {2}\(1 iterations, NONDETERMINISTIC: a seed run twice gave two traces/);
    assert.match(r.stdout, /PASS {2}steady/);
  });

  it('applies to run and run-all only', async () => {
    const r = await run(['list', '--check-determinism']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--check-determinism applies only to sim run and sim run-all/);
  });
});
