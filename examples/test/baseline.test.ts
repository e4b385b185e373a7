// Behaviour is kept: the bundled simulations give the trace hashes and exploration reports stored in
// baseline.json. The full 200-seed comparison is `node scripts/determinism-baseline.js`.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { type Baseline, computeBaseline, diffBaselines } from './support/baseline.js';

const stored = JSON.parse(
  readFileSync(new URL('../../test/baseline.json', import.meta.url), 'utf8'),
) as Baseline;

test('the first seeds of every bundled simulation and the four explorations match the stored baseline', async () => {
  const differences = diffBaselines(stored, await computeBaseline(12));
  assert.deepEqual(differences, []);
});

test('a changed hash is reported with its simulation and seed', () => {
  const changed: Baseline = structuredClone(stored);
  const [name, hashes] = Object.entries(changed.hashes)[0] ?? ['', []];
  hashes[3] = '0:deadbeef';
  assert.match(diffBaselines(stored, changed)[0] ?? '', new RegExp(`^${name}: seed #3 `));
});
