// The API reference (`npm run docs`, TypeDoc over the facade) is complete: its validation fails on an
// export without a doc comment, a link that does not resolve or a type used but not exported.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const TYPEDOC = join(dirname(createRequire(import.meta.url).resolve('typedoc/package.json')), 'bin', 'typedoc');

it('every public export of moonpool is documented (TypeDoc validation, warnings are errors)', () => {
  // typedoc.json at the root holds the settings `npm run docs` uses; here nothing is written.
  const run = spawnSync(process.execPath, [TYPEDOC, '--emit', 'none', '--logLevel', 'Warn'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  assert.equal(run.status, 0, `TypeDoc found problems:\n${run.stdout}${run.stderr}`);
});
