// Distinct executions give distinct trace hashes: a few thousand seeds of the bundled simulations and
// the bug timelines of maze-explore. The full check (over 100 000) is scripts/check-hash-distinct.js.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  bundledNames,
  collisions,
  explorationHashes,
  FULL_SEEDS,
  type HashedExecution,
  QUICK_SEEDS,
  seedHashes,
} from './support/hash-distinctness.js';

test('a few thousand distinct executions give as many distinct trace hashes', async () => {
  const executions: HashedExecution[] = [];
  for (const name of bundledNames()) {
    executions.push(...(await seedHashes(name, QUICK_SEEDS[name] ?? 3)));
  }
  const explored = await explorationHashes('maze-explore');
  assert.ok(explored.length > 2, 'maze-explore found bug timelines');
  executions.push(...explored);
  assert.ok(executions.length >= 3000, `${executions.length} executions`);
  assert.deepEqual(
    collisions(executions).map(([a, b]) => `${a.what} and ${b.what}: ${a.hash}`),
    [],
  );
});

test('every bundled simulation is in both checks', () => {
  assert.deepEqual(bundledNames().filter((name) => FULL_SEEDS[name] === undefined), []);
  assert.deepEqual(bundledNames().filter((name) => QUICK_SEEDS[name] === undefined), []);
});

test('executions with the same hash are reported in pairs', () => {
  const clash = collisions([
    { what: 'a', hash: '1' },
    { what: 'b', hash: '2' },
    { what: 'c', hash: '1' },
  ]);
  assert.deepEqual(clash.map(([x, y]) => [x.what, y.what]), [['a', 'c']]);
});
