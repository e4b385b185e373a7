// `sim run <name>` imports only the file named after the simulation when there is one.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { discoverNamed } from '../../src/cli/discover.js';
import { CliError } from '../../src/cli/errors.js';

const DEFINE = new URL('../../src/define-simulation.js', import.meta.url).href;

/** A simulation file exporting definitions with these names. */
function simFile(...names: string[]): string {
  const defs = names.map(
    (name, i) =>
      `export const s${i} = defineSimulation({ name: '${name}', description: '', build: () => { throw new Error('not run'); } });`,
  );
  return [`import { defineSimulation } from '${DEFINE}';`, ...defs, ''].join('\n');
}

describe('discoverNamed', () => {
  let root = '';
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'moonpool-named-'));
    await writeFile(join(root, 'alpha.sim.mjs'), simFile('alpha', 'alpha-twin'));
    await writeFile(join(root, 'beta.sim.mjs'), simFile('gamma'));
    // Importing this file fails: a lookup that imports it reports the failure.
    await writeFile(join(root, 'broken.sim.mjs'), "throw new Error('imported');\n");
  });
  after(() => rm(root, { recursive: true, force: true }));

  it('finds a simulation in the file named after it without importing the others', async () => {
    const found = await discoverNamed(root, 'alpha');
    assert.deepEqual(
      found.map((s) => [s.definition.name, s.exportName]),
      [['alpha', 's0']],
    );
  });

  it('falls back to importing every file when no file is named after the simulation', async () => {
    await assert.rejects(discoverNamed(root, 'gamma'), (err: Error) => {
      assert.ok(err instanceof CliError);
      assert.match(err.message, /cannot load broken\.sim\.mjs|cannot load .*broken\.sim\.mjs/);
      return true;
    });
  });

  it('falls back when the file named after it defines no simulation of that name', async () => {
    await writeFile(join(root, 'delta.sim.mjs'), simFile('not-delta'));
    await assert.rejects(discoverNamed(root, 'delta'), /broken\.sim\.mjs/);
  });
});
