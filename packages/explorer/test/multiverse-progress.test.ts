// The Multiverse explorer's progress reports: one after every batch, counted on across root seeds.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { childSeed } from '../src/child-seed.js';
import { type ExplorationConfig, type ExplorationProgress, formatRecipe } from '../src/index.js';
import { harness, ROOT, type World } from './support/synthetic-multiverse.js';

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
