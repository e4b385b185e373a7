// The Multiverse explorer in fixed-count mode: a set number of children per splitpoint, breadth first,
// within depth and energy bounds.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatRecipe } from '../src/index.js';
import { childIndex, harness, ROOT, step, type World } from './support/synthetic-multiverse.js';

describe('Multiverse: fixed-count mode', () => {
  /** Root: splits a, b, c; every child: splits x, y. No coverage. */
  const tree: World = (_root, recipe) =>
    recipe.length === 0
      ? { splits: [['a', 10], ['b', 20], ['c', 30]] }
      : { splits: [['x', 5], ['y', 6]] };

  it('spawns timelinesPerSplit children per splitpoint, breadth first, with child recipes parent + step', async () => {
    const h = harness({ maxDepth: 2, timelinesPerSplit: 4, globalEnergy: 1000 }, tree);
    const r = await h.explore(ROOT);
    assert.equal(r.timelines, 3 * 4 + 3 * 4 * 2 * 4);
    assert.equal(r.forkPoints, 3 + 3 * 4 * 2);
    assert.equal(r.energyRemaining, 1000 - 108);
    assert.equal(r.reallocPoolRemaining, 0);
    assert.equal(r.converged, true);
    assert.deepEqual(r.bugs, []);
    assert.equal(r.rootSeed, ROOT);
    assert.equal(r.ownDraws, 100 * 109);
    assert.equal(r.draws, 100 * (1 + 12 * 2 + 96 * 3));
    // The root is run alone first, then one batch of 4 per splitpoint.
    assert.deepEqual(h.batches[0], [[]]);
    assert.equal(h.batches.length, 1 + 27);
    for (const b of h.batches.slice(1)) assert.equal(b.length, 4);
    // Depth 1 first, in the order the root found its splitpoints.
    const range = [0, 1, 2, 3];
    assert.deepEqual(h.batches[1], range.map((i) => [step('a', ROOT, 10, i)]));
    assert.deepEqual(h.batches[2], range.map((i) => [step('b', ROOT, 20, i)]));
    assert.deepEqual(h.batches[3], range.map((i) => [step('c', ROOT, 30, i)]));
    // Then the splitpoints of a's first child, whose seed is that child's reseed.
    const a0 = step('a', ROOT, 10, 0);
    assert.deepEqual(h.batches[4], range.map((i) => [a0, step('x', a0.seed, 5, i)]));
    assert.deepEqual(h.batches[5], range.map((i) => [a0, step('y', a0.seed, 6, i)]));
    const c3 = step('c', ROOT, 30, 3);
    assert.deepEqual(h.batches[27], range.map((i) => [c3, step('y', c3.seed, 6, i)]));
    // Breadth first: no depth-2 timeline runs before every depth-1 one has.
    const lengths = h.batches.slice(1).flat().map((recipe) => recipe.length);
    assert.deepEqual(lengths, [...lengths].sort((p, q) => p - q));
    assert.equal(new Set(h.batches.flat().map(formatRecipe)).size, 1 + 108);
  });

  it('never runs more than globalEnergy timelines', async () => {
    const h = harness({ maxDepth: 2, timelinesPerSplit: 4, globalEnergy: 10 }, tree);
    const r = await h.explore(ROOT);
    assert.equal(r.timelines, 10);
    assert.deepEqual(h.batches.map((b) => b.length), [1, 4, 4, 2]);
    assert.equal(r.forkPoints, 3);
    assert.equal(r.energyRemaining, 0);
    assert.equal(r.converged, false, 'splitpoints were left unexplored');
    for (let energy = 0; energy <= 40; energy += 3) {
      const e = await harness({ maxDepth: 3, timelinesPerSplit: 3, globalEnergy: energy }, tree).explore(ROOT);
      assert.equal(e.timelines, energy, `globalEnergy ${energy}`);
      assert.equal(e.energyRemaining, 0);
    }
  });

  it(
    'converged is false when energy runs out before the last splitpoint got all its children',
    async () => {
      // One splitpoint, 4 children wanted, energy for 2; the children find no splitpoints of their own.
      const lone: World = (_root, recipe) => (recipe.length === 0 ? { splits: [['a', 10]] } : {});
      const fixed = await harness({ maxDepth: 3, timelinesPerSplit: 4, globalEnergy: 2 }, lone).explore(ROOT);
      assert.equal(fixed.timelines, 2);
      assert.equal(fixed.converged, false, 'fixed-count: 2 of the 4 children never ran');
      const adaptive = await harness(
        {
          maxDepth: 3,
          timelinesPerSplit: 1,
          globalEnergy: 3,
          adaptive: { batchSize: 5, minTimelines: 5, maxTimelines: 10, perMarkEnergy: 10 },
        },
        lone,
      ).explore(ROOT);
      assert.equal(adaptive.timelines, 3);
      assert.equal(adaptive.converged, false, 'adaptive: the mark was cut off by global energy');
    },
  );

  it('timelinesPerSplit 0 spawns nothing and counts no fork point', async () => {
    const h = harness({ maxDepth: 3, timelinesPerSplit: 0, globalEnergy: 50 }, tree);
    const r = await h.explore(ROOT);
    assert.equal(r.timelines, 0);
    assert.equal(r.forkPoints, 0);
    assert.equal(r.energyRemaining, 50);
  });

  it('maxDepth 0 runs only the root timeline', async () => {
    const h = harness({ maxDepth: 0, timelinesPerSplit: 4, globalEnergy: 1000 }, tree);
    const r = await h.explore(ROOT);
    assert.deepEqual(h.batches, [[[]]]);
    assert.equal(r.timelines, 0);
    assert.equal(r.forkPoints, 0);
    assert.equal(r.energyRemaining, 1000);
    assert.equal(r.converged, true);
  });

  it('maxDepth bounds the recipe length', async () => {
    const chain: World = () => ({ splits: [['m', 1]] });
    const one = harness({ maxDepth: 3, timelinesPerSplit: 1, globalEnergy: 1000 }, chain);
    const r1 = await one.explore(ROOT);
    assert.equal(r1.timelines, 3);
    assert.deepEqual(one.batches.map((b) => b.map((recipe) => recipe.length)), [[0], [1], [2], [3]]);
    const two = harness({ maxDepth: 5, timelinesPerSplit: 2, globalEnergy: 1000 }, chain);
    const r2 = await two.explore(ROOT);
    assert.equal(r2.timelines, 2 + 4 + 8 + 16 + 32);
    assert.equal(Math.max(...two.batches.flat().map((recipe) => recipe.length)), 5);
  });

  it('explores a splitpoint only if it came before the timeline\'s last own draw', async () => {
    // Every timeline has ownDraws 100. A child reseeds at its parent's draw number `count`: with
    // count >= 100 there is no such draw, and every child would replay the parent unchanged.
    const world: World = (_root, recipe) => {
      if (recipe.length === 0) return { splits: [['early', 99], ['last', 100], ['past', 250]] };
      if (recipe.length === 1) return { splits: [['x', 100], ['y', 0]] };
      return {};
    };
    const h = harness({ maxDepth: 3, timelinesPerSplit: 2, globalEnergy: 1000 }, world);
    const r = await h.explore(ROOT);
    const e0 = step('early', ROOT, 99, 0);
    const e1 = step('early', ROOT, 99, 1);
    assert.deepEqual(h.batches, [
      [[]],
      [[e0], [e1]],
      [[e0, step('y', e0.seed, 0, 0)], [e0, step('y', e0.seed, 0, 1)]],
      [[e1, step('y', e1.seed, 0, 0)], [e1, step('y', e1.seed, 0, 1)]],
    ]);
    assert.equal(r.timelines, 2 + 4);
    assert.equal(r.forkPoints, 3);
    assert.equal(r.energyRemaining, 1000 - 6);
    assert.equal(r.converged, true, 'skipped splitpoints are not unexplored ones');
  });

  it('records bugs with the root seed, the recipe and the trace hash when the outcome has one', async () => {
    const world: World = (root, recipe) => {
      if (recipe.length === 0) return { splits: [['s', 7]], bug: true, traceHash: 'root' };
      const i = childIndex('s', root, (recipe[0] as { seed: bigint }).seed);
      return {
        bug: i % 3 === 0,
        ...(i % 2 === 0 ? { traceHash: `t${i}` } : {}),
      };
    };
    const h = harness({ maxDepth: 1, timelinesPerSplit: 6, globalEnergy: 100 }, world);
    const r = await h.explore(77n);
    // The root's own failure is the seed's failure, not a recipe.
    assert.deepEqual(r.bugs, [
      { rootSeed: 77n, recipe: [step('s', 77n, 7, 0)], traceHash: 't0' },
      { rootSeed: 77n, recipe: [step('s', 77n, 7, 3)] },
    ]);
    assert.equal('traceHash' in (r.bugs[1] as object), false);
  });
});
