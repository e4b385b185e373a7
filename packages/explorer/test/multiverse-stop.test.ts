// The Multiverse explorer stopped early (an interrupted run): it ends at a batch boundary and keeps
// what the batches run so far found.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { childSeed } from '../src/child-seed.js';
import { type ExplorationConfig, formatRecipe } from '../src/index.js';
import { harness, ROOT, type World } from './support/synthetic-multiverse.js';

describe('Multiverse: stopRequested', () => {
  const world: World = (root, recipe) => {
    if (recipe.length === 0) return { bits: [1], splits: [['a', 10], ['b', 20]] };
    const h = childSeed(formatRecipe(recipe), root, 0);
    return { bits: [Number(h % 4000n) + 10], splits: [['m', 3]], bug: h % 3n === 0n };
  };

  const configs: [string, ExplorationConfig][] = [
    ['fixed', { maxDepth: 3, timelinesPerSplit: 3, globalEnergy: 200 }],
    [
      'adaptive',
      {
        maxDepth: 3,
        timelinesPerSplit: 1,
        globalEnergy: 200,
        adaptive: { batchSize: 4, minTimelines: 4, maxTimelines: 12, perMarkEnergy: 12 },
      },
    ],
  ];

  for (const [name, config] of configs) {
    it(`${name}: stops before the next batch and reports the batches run, interrupted`, async () => {
      const full = await harness(config, world).explore(ROOT);
      assert.equal(full.interrupted, undefined);

      const h = harness(config, world);
      const stopAfter = 3;
      h.multiverse.stopRequested = () => h.batches.length >= stopAfter;
      const stopped = await h.explore(ROOT);
      assert.equal(h.batches.length, stopAfter, 'no batch started once a stop was requested');
      assert.equal(stopped.interrupted, true);
      assert.equal(stopped.converged, false);
      // Every child of the batches run is counted, and the bugs among them kept.
      const children = h.batches.slice(1).reduce((n, b) => n + b.length, 0);
      assert.equal(stopped.timelines, children);
      assert.ok(stopped.timelines < full.timelines);
      const fullBugs = full.bugs.map((b) => formatRecipe(b.recipe));
      for (const bug of stopped.bugs) assert.ok(fullBugs.includes(formatRecipe(bug.recipe)));
      // The uninterrupted exploration begins with the same batches.
      assert.deepEqual(stopped.bugs, full.bugs.slice(0, stopped.bugs.length));
    });
  }

  it('a stop requested before any child leaves the root timeline only', async () => {
    const h = harness({ maxDepth: 3, timelinesPerSplit: 3, globalEnergy: 200 }, world);
    h.multiverse.stopRequested = () => true;
    const stopped = await h.explore(ROOT);
    assert.equal(h.batches.length, 1);
    assert.equal(stopped.timelines, 0);
    assert.equal(stopped.interrupted, true);
  });
});
