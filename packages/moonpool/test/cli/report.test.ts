// `--report <file.html>`: where it applies, bad paths refused before running, and a run with it
// explores exactly the same multiverse as one without.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { cli } from '../support/run-cli.js';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/.html-report', import.meta.url));

/** A JSON line without what differs from run to run (times) and the map only --report keeps. */
function comparable(line: string): unknown {
  return JSON.parse(line, (key, value: unknown) =>
    key === 'wallMs' || key === 'totalWallMs' || key === 'multiverse' ? undefined : value,
  );
}

describe('moonpool sim run --report', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'moonpool-report-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('applies only to sim run and sim run-all', async () => {
    const r = await cli(['sim', 'list', '--report', join(dir, 'x.html'), '--dir', FIXTURES]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--report applies only to sim run and sim run-all/);
  });

  it('a file in a missing folder, or a folder, is refused before anything runs (exit 2)', async () => {
    const missing = await cli(['sim', 'run', 'known-flaky', '--report', join(dir, 'no', 'r.html'), '--dir', FIXTURES]);
    assert.equal(missing.code, 2);
    assert.equal(missing.stdout, '');
    assert.match(missing.stderr, /--report: the folder of .* does not exist/);
    const folder = await cli(['sim', 'run', 'known-flaky', '--report', dir, '--dir', FIXTURES]);
    assert.equal(folder.code, 2);
    assert.match(folder.stderr, /is a folder/);
  });

  it('writes the page, keeps the exit code and the JSON output, and changes nothing in the run', async () => {
    const file = join(dir, 'run.html');
    const plain = await cli(['sim', 'run', 'known-explore', '--json', '--dir', FIXTURES]);
    const reported = await cli(['sim', 'run', 'known-explore', '--json', '--report', file, '--dir', FIXTURES]);
    assert.equal(plain.code, 0);
    assert.equal(reported.code, 0);
    assert.match(reported.stderr, /HTML report written to .*run\.html \(\d+ KiB\)/);
    const plainLines = plain.stdout.trim().split('\n');
    const reportedLines = reported.stdout.trim().split('\n');
    // Same seeds, trace hashes, counts, bug recipes: only the map was added.
    assert.deepEqual(reportedLines.map(comparable), plainLines.map(comparable));
    assert.equal(JSON.parse(plainLines[0] ?? '{}').exploration.multiverse, undefined);
    assert.ok(JSON.parse(reportedLines[0] ?? '{}').exploration.multiverse.seeds.length > 0);
    const html = readFileSync(file, 'utf8');
    assert.match(html, /^<!DOCTYPE html>/);
    assert.match(html, /id="verdict">PASSED</);
  });
});
