// The multiverse explored does not depend on the order in which a batch's timelines finish.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { childSeed } from '../src/child-seed.js';
import { type ExplorationConfig, formatRecipe, type SeedExploration } from '../src/index.js';
import { harness, type World } from './support/synthetic-multiverse.js';

describe('Multiverse: order independence', () => {
  /** A richer synthetic multiverse: everything derived from a 64-bit hash of (root seed, recipe). */
  const hashed: World = (root, recipe) => {
    const h = childSeed(formatRecipe(recipe), root, recipe.length);
    const n = Number(h % 3n) + (recipe.length === 0 ? 2 : 0);
    const splits: [string, number][] = [];
    for (let k = 0; k < n; k++) splits.push([`m${(Number((h >> 8n) % 5n) + k) % 5}`, Number((h >> 16n) % 100n)]);
    const bug = (h >> 50n) % 11n === 0n;
    return {
      splits,
      bits: [Number((h >> 24n) % 40n), Number((h >> 40n) % 40n)],
      bug,
      ...((h >> 60n) % 2n === 0n ? { traceHash: h.toString(16) } : {}),
    };
  };

  const configs: [string, ExplorationConfig][] = [
    ['fixed', { maxDepth: 3, timelinesPerSplit: 3, globalEnergy: 150 }],
    [
      'adaptive',
      {
        maxDepth: 4,
        timelinesPerSplit: 1,
        globalEnergy: 300,
        adaptive: { batchSize: 3, minTimelines: 3, maxTimelines: 9, perMarkEnergy: 5, warmMinTimelines: 3 },
      },
    ],
  ];

  for (const [name, config] of configs) {
    it(`${name}: the multiverse is the same whether a batch runs sequentially or concurrently`, async () => {
      const sequential = harness(config, hashed, 'sequential');
      const concurrent = harness(config, hashed, 'concurrent');
      const seqResults: SeedExploration[] = [];
      const conResults: SeedExploration[] = [];
      for (const seed of [11n, 12n, 13n]) {
        seqResults.push(await sequential.explore(seed));
        conResults.push(await concurrent.explore(seed));
      }
      // The concurrent runner really did finish batches out of order.
      assert.ok(concurrent.completions.some((c) => c.length > 1 && c[0] === c.length - 1));
      assert.ok(sequential.completions.every((c) => c.every((k, j) => k === j)));
      assert.deepEqual(conResults, seqResults);
      assert.deepEqual(concurrent.batches, sequential.batches);
      assert.deepEqual(concurrent.multiverse.explored, sequential.multiverse.explored);
      // And the multiverse is not trivial.
      const total = seqResults.reduce((n, r) => n + r.timelines, 0);
      assert.ok(total > 60, `timelines ${total}`);
      assert.ok(seqResults.some((r) => r.bugs.length > 0), 'some bugs');
      assert.ok(seqResults.every((r) => r.forkPoints > 3), 'fork points');
      for (const r of seqResults) {
        for (const bug of r.bugs) assert.equal(bug.rootSeed, r.rootSeed);
      }
      if (config.adaptive) {
        // Barren marks gave energy to the pool, and energy ran out: the pool mattered.
        assert.ok(seqResults.some((r) => r.reallocPoolRemaining > 0), 'some barren marks');
        assert.ok(seqResults.some((r) => !r.converged), 'energy ran out at least once');
      }
    });
  }
});
