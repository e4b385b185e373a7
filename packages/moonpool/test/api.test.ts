// The public API is the explicit list in src/index.ts: docs/api.md names every export, and the
// simulator's internals are not among them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import * as moonpool from '../src/index.js';

const read = (path: string): string => readFileSync(new URL(path, import.meta.url), 'utf8');

/** Every name the facade's source exports (values and types). */
function exportedNames(source: string): string[] {
  const names: string[] = [];
  for (const block of source.matchAll(/export (?:type )?\{([^}]*)\}/g)) {
    for (const item of (block[1] ?? '').split(',')) {
      const name = item.trim().replace(/^type\s+/, '').split(/\s+as\s+/).pop()?.trim();
      if (name) names.push(name);
    }
  }
  return names;
}

const source = read('../../src/index.ts');
const docs = read('../../../../docs/api.md');

test('the facade exports names only (no export *)', () => {
  assert.doesNotMatch(source, /export \*/);
});

test('docs/api.md names every export of the facade', () => {
  const names = exportedNames(source);
  assert.ok(names.length > 100, `only ${names.length} exports found: the parser is broken`);
  const missing = names.filter((n) => !docs.includes(`\`${n}\``) && !docs.includes(`\`${n}(`));
  assert.deepEqual(missing, []);
});

test('internals are not exported', () => {
  const internals = [
    'Executor',
    'SimWorld',
    'Machine',
    'SimRng',
    'enterWorld',
    'activeWorld',
    'spawnTask',
    'AssertionStore',
    'DeltaSum',
    'fnv1a32',
    'installInstrumentation',
    'currentInstrumentation',
    'BuggifyState',
    'runIteration',
  ];
  const leaked = internals.filter((name) => name in moonpool);
  assert.deepEqual(leaked, []);
});
