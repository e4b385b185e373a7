// The Multiverse explorer in adaptive mode: per-mark batches that stop when a mark is barren, its
// energy going to a pool productive marks draw from.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { childSeed } from '../src/child-seed.js';
import { type ExplorationConfig, formatRecipe } from '../src/index.js';
import {
  childIndex,
  type Fake,
  type Harness,
  harness,
  ROOT,
  step,
  type World,
} from './support/synthetic-multiverse.js';

describe('Multiverse: adaptive mode', () => {
  /** Root: one splitpoint per mark in `marks`; the children of each mark behave as `child` says. */
  function adaptiveWorld(
    marks: readonly string[],
    child: (mark: string, index: number, root: bigint) => Fake,
  ): World {
    return (root, recipe) => {
      if (recipe.length === 0) return { bits: [1], splits: marks.map((m, k) => [m, 10 + k]) };
      const last = recipe[0] as { seed: bigint };
      for (const m of marks) {
        const i = childIndex(m, root, last.seed);
        if (i >= 0) return child(m, i, root);
      }
      throw new Error(`unknown child ${formatRecipe(recipe)}`);
    };
  }

  const batchSizes = (h: Harness): number[] => h.batches.slice(1).map((b) => b.length);

  it('a mark whose batch finds nothing new after minTimelines is barren: its energy goes to the pool', async () => {
    // Children only find the root's bit.
    const h = harness(
      {
        maxDepth: 1,
        timelinesPerSplit: 99,
        globalEnergy: 1000,
        adaptive: { batchSize: 5, minTimelines: 10, maxTimelines: 100, perMarkEnergy: 30 },
      },
      adaptiveWorld(['A'], () => ({ bits: [1] })),
    );
    const r = await h.explore(ROOT);
    // Batch 1: nothing new but only 5 < 10 run; batch 2: barren.
    assert.deepEqual(batchSizes(h), [5, 5]);
    assert.equal(r.timelines, 10);
    assert.equal(r.forkPoints, 1);
    assert.equal(r.energyRemaining, 990);
    assert.equal(r.reallocPoolRemaining, 30 - 10);
    assert.deepEqual(
      h.batches.slice(1).flat(),
      Array.from({ length: 10 }, (_, i) => [step('A', ROOT, 10, i)]),
    );
  });

  it('a productive mark continues in batches up to maxTimelines', async () => {
    const h = harness(
      {
        maxDepth: 1,
        timelinesPerSplit: 1,
        globalEnergy: 1000,
        adaptive: { batchSize: 5, minTimelines: 5, maxTimelines: 23, perMarkEnergy: 100 },
      },
      adaptiveWorld(['A'], (_m, i) => ({ bits: [100 + i] })),
    );
    const r = await h.explore(ROOT);
    assert.deepEqual(batchSizes(h), [5, 5, 5, 5, 3]);
    assert.equal(r.timelines, 23);
    assert.equal(r.energyRemaining, 1000 - 23);
    assert.equal(r.reallocPoolRemaining, 0, 'a mark stopped by maxTimelines is not barren');
    assert.equal(h.multiverse.coverageBits(), 1 + 23);
  });

  it('a productive mark draws from the pool once its own energy is spent, then stops', async () => {
    const config = (perMarkEnergy: number): ExplorationConfig => ({
      maxDepth: 1,
      timelinesPerSplit: 1,
      globalEnergy: 1000,
      adaptive: { batchSize: 5, minTimelines: 5, maxTimelines: 100, perMarkEnergy },
    });
    const world = adaptiveWorld(['barren', 'rich'], (m, i) => ({ bits: m === 'rich' ? [200 + i] : [1] }));
    // barren: 5 run, 5 left go to the pool; rich: 10 of its own, then the pool's 5.
    const h = harness(config(10), world);
    const r = await h.explore(ROOT);
    assert.deepEqual(batchSizes(h), [5, 5, 5, 5]);
    assert.equal(r.timelines, 20);
    assert.equal(r.energyRemaining, 980, 'the unit of the failed take went back');
    assert.equal(r.reallocPoolRemaining, 0);
    const rich = h.batches.slice(2).flat();
    assert.deepEqual(rich, Array.from({ length: 15 }, (_, i) => [step('rich', ROOT, 11, i)]));
    // With 7 each: barren returns 2; rich runs 7 + 2 = 9, the last batch cut short.
    const h7 = harness(config(7), world);
    const r7 = await h7.explore(ROOT);
    assert.deepEqual(batchSizes(h7), [5, 5, 4]);
    assert.equal(r7.timelines, 14);
    assert.equal(r7.energyRemaining, 986);
    assert.equal(r7.reallocPoolRemaining, 0);
    // Without the barren mark first, rich gets no more than its own energy.
    const alone = await harness(config(7), adaptiveWorld(['rich'], (_m, i) => ({ bits: [200 + i] }))).explore(ROOT);
    assert.equal(alone.timelines, 7);
  });

  it('barren detection happens before merging: siblings finding the same new bit both count as new', async () => {
    // Every child finds bit 500 (new only until the first batch is merged).
    const h = harness(
      {
        maxDepth: 1,
        timelinesPerSplit: 1,
        globalEnergy: 1000,
        adaptive: { batchSize: 2, minTimelines: 2, maxTimelines: 10, perMarkEnergy: 10 },
      },
      adaptiveWorld(['A'], () => ({ bits: [500] })),
    );
    const r = await h.explore(ROOT);
    // Batch 1 found bit 500 (not barren even though the second child's bit equals the first's);
    // batch 2 found nothing new: barren after 4.
    assert.deepEqual(batchSizes(h), [2, 2]);
    assert.equal(r.timelines, 4);
    assert.equal(r.reallocPoolRemaining, 6);
  });

  it('global energy running out stops the mark mid-batch and everything after it', async () => {
    const h = harness(
      {
        maxDepth: 1,
        timelinesPerSplit: 1,
        globalEnergy: 7,
        adaptive: { batchSize: 5, minTimelines: 5, maxTimelines: 100, perMarkEnergy: 100 },
      },
      adaptiveWorld(['A', 'B'], (m, i) => ({ bits: [m === 'A' ? 1000 + i : 2000 + i] })),
    );
    const r = await h.explore(ROOT);
    assert.deepEqual(batchSizes(h), [5, 2]);
    assert.equal(r.timelines, 7);
    assert.equal(r.energyRemaining, 0);
    assert.equal(r.forkPoints, 1);
    assert.equal(r.converged, false);
  });

  it('a mark reached again deeper gets a fresh per-mark budget', async () => {
    // Every timeline splits at mark m; every child finds a bit of its own.
    const world: World = (root, recipe) => ({
      splits: [['m', 3]],
      bits: [Number(childSeed(formatRecipe(recipe), root, 0) % 8000n)],
    });
    const h = harness(
      {
        maxDepth: 3,
        timelinesPerSplit: 1,
        globalEnergy: 1000,
        adaptive: { batchSize: 2, minTimelines: 2, maxTimelines: 2, perMarkEnergy: 2 },
      },
      world,
    );
    const r = await h.explore(ROOT);
    assert.equal(r.timelines, 2 + 4 + 8);
    assert.equal(r.forkPoints, 1 + 2 + 4);
  });

  it('warm starts use warmMinTimelines (default batchSize) and keep the explored map', async () => {
    // Children 0..3 of A find bits 50..53; later children find bit 50 again.
    const world = adaptiveWorld(['A'], (_m, i) => ({ bits: [50 + (i < 4 ? i : 0)] }));
    const config = (warmMinTimelines?: number): ExplorationConfig => ({
      maxDepth: 1,
      timelinesPerSplit: 1,
      globalEnergy: 1000,
      adaptive: {
        batchSize: 4,
        minTimelines: 12,
        maxTimelines: 40,
        perMarkEnergy: 100,
        ...(warmMinTimelines === undefined ? {} : { warmMinTimelines }),
      },
    });

    // Default: warm minimum = batchSize (4).
    const h = harness(config(), world);
    const cold = await h.explore(1n);
    // Batch 1 new; batches 2 and 3 nothing new; barren at 12 = minTimelines.
    assert.equal(cold.timelines, 12);
    assert.equal(cold.reallocPoolRemaining, 88);
    assert.equal(h.multiverse.coverageBits(), 5);
    const warm = await h.explore(2n);
    // The explored map already has 50..53: the first batch is barren and 4 >= warm minimum.
    assert.equal(warm.timelines, 4);
    assert.equal(warm.rootSeed, 2n);
    assert.equal(warm.energyRemaining, 996, 'energy is reset per root seed');
    assert.equal(warm.reallocPoolRemaining, 96, 'the pool is reset per root seed');
    assert.deepEqual(h.batches.at(-1), [0, 1, 2, 3].map((i) => [step('A', 2n, 10, i)]));
    assert.equal(h.multiverse.coverageBits(), 5);

    // An explicit warm minimum.
    const h8 = harness(config(8), world);
    assert.equal((await h8.explore(1n)).timelines, 12, 'the first seed is cold: minTimelines');
    assert.equal((await h8.explore(2n)).timelines, 8);
    assert.equal((await h8.explore(3n)).timelines, 8);

    // A fresh explorer on seed 2 is cold and its map empty: batch 1 is new again, so 12.
    assert.equal((await harness(config(), world).explore(2n)).timelines, 12);
  });
});
