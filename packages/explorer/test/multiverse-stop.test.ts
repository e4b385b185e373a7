// The Multiverse explorer stopped early (an interrupted run): it ends at a batch boundary, or within a
// batch when the runner leaves out timelines, and keeps what the timelines run so far found.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { childSeed } from '../src/child-seed.js';
import { type BatchRunner, type ExplorationConfig, formatRecipe, Multiverse, type Recipe } from '../src/index.js';
import { harness, ROOT, toOutcome, type World } from './support/synthetic-multiverse.js';

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

  it('a batch runner that leaves out timelines on a stop: those that ran are merged, the seed ends there', async () => {
    const config: ExplorationConfig = { maxDepth: 3, timelinesPerSplit: 8, globalEnergy: 200 };
    let stop = false;
    const batches: Recipe[][] = [];
    // Runs the 2nd batch's even timelines only (as worker threads might when a stop arrives), then stops.
    const runner: BatchRunner = (recipes) => {
      batches.push([...recipes]);
      const partial = batches.length === 2;
      if (partial) stop = true;
      return Promise.resolve(
        recipes.map((r, k) => (partial && k % 2 === 1 ? undefined : toOutcome(ROOT, r, world(ROOT, r)))),
      );
    };
    const multiverse = new Multiverse(config, runner);
    multiverse.stopRequested = () => stop;
    const stopped = await multiverse.exploreSeed(ROOT);
    assert.equal(batches.length, 2, 'no batch after the partial one');
    assert.equal(stopped.interrupted, true);
    assert.equal(stopped.converged, false);
    assert.equal(stopped.timelines, 4, 'the four timelines that ran are counted');
    // The bugs are those of the timelines that ran, in batch order.
    const expected = (batches[1] as Recipe[]).filter((r, k) => k % 2 === 0 && world(ROOT, r).bug === true);
    assert.ok(expected.length > 0);
    assert.deepEqual(stopped.bugs.map((b) => formatRecipe(b.recipe)), expected.map(formatRecipe));
  });

  it('the root timeline must come back', async () => {
    const multiverse = new Multiverse({ maxDepth: 3, timelinesPerSplit: 2, globalEnergy: 10 }, () =>
      Promise.resolve([undefined]),
    );
    await assert.rejects(multiverse.exploreSeed(ROOT), /no result for the root timeline/);
  });
});
