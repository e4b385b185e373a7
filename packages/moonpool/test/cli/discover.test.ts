// Discovery when directories cannot be read: a clear error for the root, a warning for a subdirectory.
import assert from 'node:assert/strict';
import type { Dirent } from 'node:fs';
import { mkdtemp, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { discoverSimulations, findSimulationFiles } from '../../src/cli/discover.js';
import { CliError } from '../../src/cli/errors.js';
import { cli } from '../support/run-cli.js';

const denied = (path: string): Error =>
  Object.assign(new Error(`EACCES: permission denied, scandir '${path}'`), { code: 'EACCES' });

/** readdir, except that `blocked` directories fail as an unreadable directory does. */
function readDirExcept(...blocked: string[]) {
  return (dir: string): Promise<Dirent[]> =>
    blocked.includes(dir) ? Promise.reject(denied(dir)) : readdir(dir, { withFileTypes: true });
}

describe('discovery of unreadable directories', () => {
  let root = '';
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'moonpool-discover-'));
    for (const sub of ['a', 'b', 'c']) {
      await mkdir(join(root, sub));
      await writeFile(join(root, sub, `${sub}.sim.mjs`), 'export {};\n');
    }
  });
  after(() => rm(root, { recursive: true, force: true }));

  it('an unreadable root is a CliError naming it and the reason, without a stack', async () => {
    await assert.rejects(findSimulationFiles(root, { readDir: readDirExcept(root) }), (err: Error) => {
      assert.ok(err instanceof CliError);
      assert.match(err.message, /^cannot read directory .*moonpool-discover-\w+: EACCES: permission denied$/);
      return true;
    });
  });

  it('an unreadable subdirectory is skipped with a warning; the others are still searched', async () => {
    const warnings: string[] = [];
    const files = await findSimulationFiles(root, {
      readDir: readDirExcept(join(root, 'b')),
      warn: (m) => warnings.push(m),
    });
    assert.deepEqual(files, [join(root, 'a', 'a.sim.mjs'), join(root, 'c', 'c.sim.mjs')]);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /^skipped .*b: cannot read it \(EACCES: permission denied\)$/);
  });

  it('discoverSimulations passes the warning on and still loads the rest', async () => {
    const warnings: string[] = [];
    const sims = await discoverSimulations(root, {
      readDir: readDirExcept(join(root, 'a')),
      warn: (m) => warnings.push(m),
    });
    assert.deepEqual(sims, []);
    assert.equal(warnings.length, 1);
  });

  // A file given as the directory fails to be read for every user (permissions do not stop root).
  it('the command: a --dir that is not a readable directory is exit 2 with a one-line message', async () => {
    const file = join(root, 'not-a-directory');
    await writeFile(file, 'plain text');
    const r = await cli(['sim', 'run-all', '--dir', file]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^moonpool: not a directory: .*not-a-directory\n$/);
  });
});
