// The Multiverse explorer against a synthetic, simulator-free multiverse: each timeline's outcome is a
// pure function of (root seed, recipe), so every decision of the explorer can be derived by hand.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { childSeed } from '../src/child-seed.js';
import {
  type BatchRunner,
  type ExplorationConfig,
  type ExplorationProgress,
  formatRecipe,
  Multiverse,
  type Recipe,
  type SeedExploration,
  type Splitpoint,
  type TimelineOutcome,
} from '../src/index.js';

const WORDS = 8192 / 32;

/** What a synthetic timeline does. */
interface Fake {
  bits?: readonly number[];
  /** Splitpoints as (mark, count); their seed is the timeline's own (root seed or last reseed). */
  splits?: ReadonlyArray<readonly [mark: string, count: number]>;
  bug?: boolean;
  traceHash?: string;
}

type World = (rootSeed: bigint, recipe: Recipe) => Fake;

/** The seed a timeline runs on at its end: the root seed, or its last reseed. */
function timelineSeed(rootSeed: bigint, recipe: Recipe): bigint {
  return recipe.length === 0 ? rootSeed : (recipe[recipe.length - 1]?.seed as bigint);
}

function toOutcome(rootSeed: bigint, recipe: Recipe, fake: Fake): TimelineOutcome {
  const coverage = new Uint32Array(WORDS);
  for (const bit of fake.bits ?? []) coverage[bit >>> 5] = (coverage[bit >>> 5] as number) | (1 << (bit & 31));
  const seed = timelineSeed(rootSeed, recipe);
  const splitpoints: Splitpoint[] = (fake.splits ?? []).map(([mark, count]) => ({ mark, count, seed }));
  return {
    bug: fake.bug ?? false,
    coverage,
    splitpoints,
    draws: 100 * (recipe.length + 1),
    ownDraws: 100,
    ...(fake.traceHash === undefined ? {} : { traceHash: fake.traceHash }),
  };
}

/** Index of the child of (mark, parentSeed) whose seed is `seed` (memoised; -1 when none below 4096). */
const childTables = new Map<string, Map<bigint, number>>();
function childIndex(mark: string, parentSeed: bigint, seed: bigint): number {
  const key = `${mark}\u0000${parentSeed}`;
  let table = childTables.get(key);
  if (table === undefined) {
    table = new Map();
    for (let i = 0; i < 4096; i++) table.set(childSeed(mark, parentSeed, i), i);
    childTables.set(key, table);
  }
  return table.get(seed) ?? -1;
}

interface Harness {
  multiverse: Multiverse;
  /** Every batch the explorer asked for, in order (the root's batch first). */
  batches: Recipe[][];
  /** Indices (within the batch) in the order the runner finished them. */
  completions: number[][];
  explore(seed: bigint): Promise<SeedExploration>;
}

/**
 * A BatchRunner over `world`. Sequential runs recipes one after another; concurrent starts them all and
 * finishes them in reverse order (the last recipe of a batch first).
 */
function harness(config: ExplorationConfig, world: World, mode: 'sequential' | 'concurrent' = 'sequential'): Harness {
  let rootSeed = 0n;
  const batches: Recipe[][] = [];
  const completions: number[][] = [];
  const runOne = (recipe: Recipe): TimelineOutcome => toOutcome(rootSeed, recipe, world(rootSeed, recipe));
  const runner: BatchRunner = async (recipes) => {
    batches.push(recipes.map((r) => [...r]));
    const done: number[] = [];
    completions.push(done);
    if (mode === 'sequential') {
      const out: TimelineOutcome[] = [];
      for (const [k, r] of recipes.entries()) {
        await Promise.resolve();
        out.push(runOne(r));
        done.push(k);
      }
      return out;
    }
    return Promise.all(
      recipes.map(async (r, k) => {
        for (let t = 0; t < recipes.length - k; t++) await new Promise<void>((resolve) => setImmediate(resolve));
        const o = runOne(r);
        done.push(k);
        return o;
      }),
    );
  };
  const multiverse = new Multiverse(config, runner);
  return {
    multiverse,
    batches,
    completions,
    explore: (seed) => {
      rootSeed = seed;
      return multiverse.exploreSeed(seed);
    },
  };
}

function step(mark: string, parentSeed: bigint, count: number, index: number): { count: number; seed: bigint } {
  return { count, seed: childSeed(mark, parentSeed, index) };
}

const ROOT = 1000n;

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

describe('Multiverse: progress', () => {
  /** Root: splits a, b; children: a bit of their own, a split at m, a bug every fifth child. */
  const world: World = (root, recipe) => {
    if (recipe.length === 0) return { bits: [1], splits: [['a', 10], ['b', 20]] };
    const h = childSeed(formatRecipe(recipe), root, 0);
    return { bits: [Number(h % 4000n) + 10], splits: [['m', 3]], bug: h % 5n === 0n };
  };

  const configs: [string, ExplorationConfig][] = [
    ['fixed', { maxDepth: 2, timelinesPerSplit: 3, globalEnergy: 20 }],
    [
      'adaptive',
      {
        maxDepth: 2,
        timelinesPerSplit: 1,
        globalEnergy: 60,
        adaptive: { batchSize: 4, minTimelines: 4, maxTimelines: 8, perMarkEnergy: 8 },
      },
    ],
  ];

  for (const [name, config] of configs) {
    it(`${name}: onProgress follows every batch, the root's included, and ends at the seed's totals`, async () => {
      const h = harness(config, world);
      const calls: { progress: ExplorationProgress; batches: number }[] = [];
      h.multiverse.onProgress = (progress) => calls.push({ progress, batches: h.batches.length });
      const first = await h.explore(ROOT);
      // One call per batch, right after it (before the next batch started).
      assert.deepEqual(calls.map((c) => c.batches), h.batches.map((_, i) => i + 1));
      assert.ok(calls.length > 3, `only ${calls.length} progress calls`);
      const root = calls[0]?.progress;
      assert.deepEqual(root, {
        seedsStarted: 1,
        timelines: 0,
        energyRemaining: config.globalEnergy,
        bugs: 0,
        coverageBits: 1,
      });
      let ran = 0;
      calls.forEach(({ progress }, i) => {
        // Timelines count the children of every batch so far.
        assert.equal(progress.timelines, ran, `call ${i}`);
        ran += (h.batches[i + 1] ?? []).length;
        if (i > 0) {
          const before = (calls[i - 1] as (typeof calls)[number]).progress;
          assert.ok(progress.timelines > before.timelines, 'timelines increase');
          assert.ok(progress.energyRemaining <= before.energyRemaining, 'energy never grows');
          assert.ok(progress.bugs >= before.bugs, 'bugs never decrease');
          assert.ok(progress.coverageBits >= before.coverageBits, 'coverage never shrinks');
        }
      });
      const last = calls.at(-1)?.progress;
      assert.equal(last?.timelines, first.timelines);
      assert.equal(last?.bugs, first.bugs.length);
      assert.ok(first.bugs.length > 0, 'the world has bugs');
      assert.equal(last?.energyRemaining, first.energyRemaining);
      assert.equal(last?.coverageBits, h.multiverse.coverageBits());

      // A second root seed: counted on from the first one's totals; its energy starts afresh.
      const count = calls.length;
      const second = await h.explore(ROOT + 1n);
      const next = calls.slice(count).map((c) => c.progress);
      assert.deepEqual(next[0], {
        seedsStarted: 2,
        timelines: first.timelines,
        energyRemaining: config.globalEnergy,
        bugs: first.bugs.length,
        coverageBits: next[0]?.coverageBits,
      });
      assert.ok(next.every((p) => p.seedsStarted === 2));
      assert.equal(next.at(-1)?.timelines, first.timelines + second.timelines);
      assert.equal(next.at(-1)?.bugs, first.bugs.length + second.bugs.length);
    });
  }
});
