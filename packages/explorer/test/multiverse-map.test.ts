// The multiverse map a report draws: fork points as a tree, bugs in it, the coverage curve, all bounded
// and without effect on the exploration itself.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { childSeed } from '../src/child-seed.js';
import {
  type ExplorationConfig,
  formatRecipe,
  MAX_COVERAGE_POINTS,
  MAX_FORKS_PER_SEED,
  MultiverseRecorder,
  type SeedExploration,
} from '../src/index.js';
import { OMITTED_FORK, ROOT_PLACE } from '../src/multiverse-map.js';
import { harness, ROOT, type World } from './support/synthetic-multiverse.js';

/** Root: splits a, b; children: a bit of their own, a split at m, a bug every fifth child. */
const world: World = (root, recipe) => {
  if (recipe.length === 0) return { bits: [1], splits: [['a', 10], ['b', 20]] };
  const h = childSeed(formatRecipe(recipe), root, 0);
  return { bits: [Number(h % 4000n) + 10], splits: [['m', 3]], bug: h % 5n === 0n };
};

const configs: [string, ExplorationConfig][] = [
  ['fixed', { maxDepth: 3, timelinesPerSplit: 3, globalEnergy: 40 }],
  [
    'adaptive',
    {
      maxDepth: 3,
      timelinesPerSplit: 1,
      globalEnergy: 80,
      adaptive: { batchSize: 4, minTimelines: 4, maxTimelines: 8, perMarkEnergy: 8 },
    },
  ],
];

describe('Multiverse: the recorded map', () => {
  for (const [name, config] of configs) {
    it(`${name}: records every fork point, timeline and bug where the exploration put them`, async () => {
      const h = harness(config, world);
      const recorder = new MultiverseRecorder();
      h.multiverse.recorder = recorder;
      const results = [await h.explore(ROOT), await h.explore(ROOT + 1n)];
      const map = recorder.map();
      assert.equal(map.seeds.length, 2);
      results.forEach((result, s) => {
        const seed = map.seeds[s];
        assert.ok(seed);
        assert.equal(seed.rootSeed, String(result.rootSeed));
        assert.equal(seed.forksOmitted, 0);
        assert.equal(seed.forks.length, result.forkPoints);
        assert.equal(seed.forks.reduce((n, f) => n + f.timelines, 0), result.timelines);
        assert.equal(seed.forks.reduce((n, f) => n + f.bugs, 0), result.bugs.length);
        assert.ok(result.bugs.length > 0, 'the world has bugs');
        // Each bug's place gives back the last step of its recipe, and its depth the recipe's length.
        assert.equal(seed.bugs.length, result.bugs.length);
        result.bugs.forEach((bug, i) => {
          const place = seed.bugs[i];
          const fork = seed.forks[place?.fork ?? -1];
          assert.ok(place && fork, `bug ${i} has a place`);
          const steps = bug.recipe;
          const parentSeed = steps.length > 1 ? (steps[steps.length - 2]?.seed as bigint) : result.rootSeed;
          const last = { count: fork.count, seed: childSeed(fork.mark, parentSeed, place.child) };
          assert.deepEqual(steps[steps.length - 1], last);
          assert.equal(fork.depth, steps.length);
          // The parent chain climbs one level at a time to the root timeline.
          let at = fork;
          for (let depth = fork.depth; depth > 1; depth--) {
            const parent = seed.forks[at.parent];
            assert.ok(parent && parent.depth === depth - 1 && at.parentChild < parent.timelines);
            at = parent;
          }
          assert.equal(at.parent, -1);
        });
      });
      // The coverage curve: one point per batch (few here), never decreasing, ending at the totals.
      const total = results.reduce((n, r) => n + r.timelines, 0);
      assert.equal(map.coverage.length, h.batches.length);
      assert.deepEqual(map.coverage.at(-1), { timelines: total, bits: h.multiverse.coverageBits(), seed: 2 });
      for (let i = 1; i < map.coverage.length; i++) {
        const [before, now] = [map.coverage[i - 1], map.coverage[i]];
        assert.ok(before && now && now.bits >= before.bits && now.timelines >= before.timelines);
      }
      // The first seed's bits: the root's one (bit 1, the same for every root) and those its children set first.
      const firstSeedBits = map.coverage.find((p) => p.seed === 2)?.bits;
      assert.equal(firstSeedBits, 1 + (map.seeds[0]?.forks.reduce((n, f) => n + f.newBits, 0) ?? 0));
    });

    it(`${name}: recording changes nothing in the exploration`, async () => {
      const explore = async (record: boolean): Promise<SeedExploration[]> => {
        const h = harness(config, world);
        if (record) h.multiverse.recorder = new MultiverseRecorder();
        return [await h.explore(ROOT), await h.explore(ROOT + 1n)];
      };
      assert.deepEqual(await explore(true), await explore(false));
    });
  }

  it('keeps at most MAX_FORKS_PER_SEED fork points and counts the rest, with their timelines and bugs', () => {
    const recorder = new MultiverseRecorder();
    recorder.startSeed(7n);
    for (let i = 0; i < MAX_FORKS_PER_SEED; i++) {
      assert.equal(recorder.openFork(ROOT_PLACE, 'm', 1, i), i);
    }
    const omitted = recorder.openFork(ROOT_PLACE, 'm', 1, 0);
    assert.equal(omitted, OMITTED_FORK);
    // A fork point found by a child of an omitted one is omitted too, even were there room.
    assert.equal(recorder.openFork({ fork: omitted, child: 0 }, 'm', 2, 0), OMITTED_FORK);
    recorder.timeline(omitted, 3, true, 1);
    recorder.timeline(0, 0, false, 2);
    const seed = recorder.map().seeds[0];
    assert.equal(seed?.forks.length, MAX_FORKS_PER_SEED);
    assert.equal(seed?.forksOmitted, 2);
    assert.equal(seed?.timelinesOmitted, 1);
    assert.deepEqual(seed?.bugs, [{ fork: -1, child: 3 }]);
    assert.deepEqual(seed?.forks[0], { parent: -1, parentChild: 0, mark: 'm', depth: 1, count: 0, timelines: 1, bugs: 0, newBits: 2 });
  });

  it('thins the coverage curve evenly to at most MAX_COVERAGE_POINTS, keeping the last batch', () => {
    const recorder = new MultiverseRecorder();
    recorder.startSeed(1n);
    const batches = 10 * MAX_COVERAGE_POINTS + 3;
    for (let t = 0; t < batches; t++) recorder.batchDone(t, t);
    const curve = recorder.map().coverage;
    assert.ok(curve.length <= MAX_COVERAGE_POINTS + 1, `${curve.length} points`);
    assert.ok(curve.length > MAX_COVERAGE_POINTS / 4, `${curve.length} points`);
    assert.deepEqual(curve.at(-1), { timelines: batches - 1, bits: batches - 1, seed: 1 });
    assert.equal(curve[0]?.timelines, 0);
    // Evenly spaced: every gap but the last one the same.
    const gaps = new Set(curve.slice(1, -1).map((p, i) => p.timelines - (curve[i]?.timelines ?? 0)));
    assert.equal(gaps.size, 1);
  });
});
