// The API reference (`npm run docs`, TypeDoc over the facade) is complete: every export of `moonpool`,
// whichever workspace package declares it, and every member of an exported class, interface or enum has
// a doc comment; links resolve; no type is used without being exported. Properties of inline object
// types (a union's `kind`, a constant's fields: `X.__type.y` in TypeDoc's names) are described by the
// comment of the type or constant that holds them, and are not required to carry their own.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const TYPEDOC = join(dirname(createRequire(import.meta.url).resolve('typedoc/package.json')), 'bin', 'typedoc');
// By default TypeDoc checks only the entry point's own package; the facade re-exports the other four.
const PACKAGES = ['moonpool', '@moonpool/core', '@moonpool/explorer', '@moonpool/sim', '@moonpool/transport'];

/** TypeDoc's warnings about the facade, one per line, without colours. */
function typedocWarnings(): { status: number | null; warnings: string[]; output: string } {
  // typedoc.json at the root holds the settings `npm run docs` uses; here nothing is written.
  const args = [TYPEDOC, '--emit', 'none', '--logLevel', 'Warn', '--treatWarningsAsErrors', 'false'];
  for (const name of PACKAGES) args.push('--packagesRequiringDocumentation', name);
  const run = spawnSync(process.execPath, args, {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  const output = `${run.stdout}${run.stderr}`;
  const warnings = output
    .split('\n')
    .map((line) => line.replace(/\x1b\[[0-9;]*m/g, '').trim()) // eslint-disable-line no-control-regex
    .filter((line) => line.startsWith('[warning]') && !/Found \d+ errors and \d+ warnings/.test(line));
  return { status: run.status, warnings, output };
}

/** An undocumented property of an inline object type: `Name.__type.property`. */
const inlineProperty = /^\[warning\] \S+\.__type\.\S+ \(Property\), defined in .* does not have any documentation$/;

it('every public export of moonpool and every member of its classes, interfaces and enums is documented', () => {
  const { status, warnings, output } = typedocWarnings();
  assert.equal(status, 0, `TypeDoc failed:\n${output}`);
  const problems = warnings.filter((w) => !inlineProperty.test(w));
  assert.deepEqual(problems, [], `TypeDoc found ${problems.length} problems:\n${problems.join('\n')}`);
});
