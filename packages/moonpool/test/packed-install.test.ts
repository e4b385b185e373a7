// As a user gets it: the five packages packed once (`scripts/pack.js`, what `npm run pack` runs),
// installed from the tarballs into empty projects outside the repository: one running a simulation
// with `npx moonpool`, and the project of docs/getting-started.md built and run from the guide itself.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { applyDiff, guideSteps, missingOutput } from './support/guide-blocks.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../../test/fixtures/.packed/coin.sim.mjs', import.meta.url));
const GUIDE = join(ROOT, 'docs', 'getting-started.md');
const PACKAGES = ['explorer', 'core', 'sim', 'transport', 'moonpool'];
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const NPX = process.platform === 'win32' ? 'npx.cmd' : 'npx';

const work = mkdtempSync(join(tmpdir(), 'moonpool-packed-'));
/** The tarballs, packed once for both projects (as the guide says: `$MOONPOOL/packed/*.tgz`). */
const tarballs = join(work, 'packed');
after(() => rmSync(work, { recursive: true, force: true }));

before(() => {
  const packed = run(process.execPath, [join(ROOT, 'scripts', 'pack.js'), tarballs], ROOT);
  assert.equal(packed.status, 0, `scripts/pack.js:\n${packed.out}`);
});

function run(command: string, args: string[], cwd: string): { status: number | null; out: string } {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

it('the packed packages install into an empty project, and npx moonpool runs its simulation', { timeout: 180_000 }, () => {
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

/**
 * What a `registry` block of the guide installs from the npm registry, taken from this repository's
 * node_modules instead (linked, with their commands), so that the test needs no network.
 */
function linkFromRepository(script: string, project: string): void {
  for (const command of script.split('\n')) {
    const words = command.trim().split(/\s+/);
    assert.deepEqual(words.slice(0, 2), ['npm', 'install'], `a registry block holds npm install commands: ${command}`);
    for (const word of words.slice(2).filter((w) => !w.startsWith('-'))) {
      // `name` or `name@<major>` (a scope's @ comes first): the repository's copy must be that major version.
      const [name, major] = [word.replace(/(.)@[^/]*$/, '$1'), /.@(\d+)$/.exec(word)?.[1]];
      // Hoisted to the root, or kept in the package that declares it (packages/moonpool: vitest).
      const from = [join(ROOT, 'node_modules', name), join(ROOT, 'packages', 'moonpool', 'node_modules', name)].find((d) => existsSync(d));
      assert.ok(from !== undefined, `${name} is not installed in the repository (a devDependency the guide needs)`);
      const to = join(project, 'node_modules', name);
      mkdirSync(dirname(to), { recursive: true });
      symlinkSync(from, to, 'dir');
      const { bin, version } = JSON.parse(readFileSync(join(from, 'package.json'), 'utf8')) as {
        bin?: string | Record<string, string>;
        version: string;
      };
      if (major !== undefined) assert.equal(version.split('.')[0], major, `the guide installs ${word}, the repository has ${version}`);
      const bins = typeof bin === 'string' ? { [name]: bin } : (bin ?? {});
      mkdirSync(join(project, 'node_modules', '.bin'), { recursive: true });
      for (const [exe, file] of Object.entries(bins)) symlinkSync(join(from, file), join(project, 'node_modules', '.bin', exe));
    }
  }
}

it('docs/getting-started.md, followed block by block in an empty project, does and prints what it says', {
  timeout: 300_000,
  skip: process.platform === 'win32' ? 'the guide runs its commands with sh' : false,
}, (t) => {
  const project = join(work, 'my-register');
  mkdirSync(project);
  const env: NodeJS.ProcessEnv = { ...process.env, MOONPOOL: work, NO_COLOR: '1', npm_config_prefer_offline: 'true', npm_config_audit: 'false' };
  // Set for the processes this test runner starts: a `node --test` of the guide would report to it, not print.
  delete env.NODE_TEST_CONTEXT;
  for (const step of guideSteps(readFileSync(GUIDE, 'utf8'))) {
    const where = `docs/getting-started.md:${step.line}`;
    const file = step.kind === 'run' ? '' : join(project, step.path);
    if (step.kind === 'file') {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, step.text);
    } else if (step.kind === 'diff') {
      writeFileSync(file, applyDiff(readFileSync(file, 'utf8'), step.before, step.after, where));
    } else if (step.registry) {
      linkFromRepository(step.script, project);
    } else {
      const started = Date.now();
      const r = spawnSync('sh', ['-e', '-c', step.script], { cwd: project, encoding: 'utf8', env });
      const out = `${r.stdout}${r.stderr}`;
      t.diagnostic(`${where} (${Date.now() - started} ms): ${step.script.replaceAll('\n', '; ')}`);
      assert.equal(r.status, step.exit, `${where}: \`${step.script}\` exited with ${r.status}, not ${step.exit}:\n${out}`);
      const missing = step.output === null ? null : missingOutput(step.output, out);
      assert.equal(missing, null, `${where}: the output shown is not what \`${step.script}\` printed:\n${out}`);
    }
  }
});
