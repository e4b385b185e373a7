// As a user gets it: the five packages packed (`npm pack`), installed from the tarballs into an empty
// project outside the repository, and a simulation of that project run with `npx moonpool`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../../test/fixtures/.packed/coin.sim.mjs', import.meta.url));
const PACKAGES = ['explorer', 'core', 'sim', 'transport', 'moonpool'];
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const NPX = process.platform === 'win32' ? 'npx.cmd' : 'npx';

const work = mkdtempSync(join(tmpdir(), 'moonpool-packed-'));
after(() => rmSync(work, { recursive: true, force: true }));

function run(command: string, args: string[], cwd: string): { status: number | null; out: string } {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

it('the packed packages install into an empty project, and npx moonpool runs its simulation', { timeout: 180_000 }, () => {
  const tarballs = join(work, 'tarballs');
  mkdirSync(tarballs);
  for (const name of PACKAGES) {
    const packed = run(NPM, ['pack', '--silent', '--pack-destination', tarballs, '-w', `packages/${name}`], ROOT);
    assert.equal(packed.status, 0, `npm pack packages/${name}:\n${packed.out}`);
  }
  const project = join(work, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'my-service', private: true, type: 'module' }));
  const files = readdirSync(tarballs).map((f) => join(tarballs, f));
  assert.equal(files.length, PACKAGES.length);
  const installed = run(NPM, ['install', '--no-audit', '--no-fund', '--prefer-offline', ...files], project);
  assert.equal(installed.status, 0, `npm install of the tarballs:\n${installed.out}`);
  copyFileSync(FIXTURE, join(project, 'coin.sim.mjs'));

  const listed = run(NPX, ['--no-install', 'moonpool', 'sim', 'list'], project);
  assert.equal(listed.status, 0, listed.out);
  assert.match(listed.out, /coin/);
  const first = run(NPX, ['--no-install', 'moonpool', 'sim', 'run', 'coin', '--json'], project);
  assert.equal(first.status, 0, first.out);
  const report = JSON.parse(first.out.trim().split('\n')[0] ?? '') as {
    iterations: number;
    failedRuns: number;
    runs: { traceHash: string }[];
    assertions: { msg: string; status: string }[];
  };
  assert.equal(report.iterations, 20);
  assert.equal(report.failedRuns, 0);
  assert.deepEqual(
    report.assertions.map((a) => [a.msg, a.status]),
    [
      ['heads sometimes', 'pass'],
      ['slept at least 10 ms', 'pass'],
    ],
  );
  // One seed reproduces there too: the same hashes in a second process.
  const second = run(NPX, ['--no-install', 'moonpool', 'sim', 'run', 'coin', '--json'], project);
  const again = JSON.parse(second.out.trim().split('\n')[0] ?? '') as typeof report;
  assert.deepEqual(
    again.runs.map((r) => r.traceHash),
    report.runs.map((r) => r.traceHash),
  );
});
