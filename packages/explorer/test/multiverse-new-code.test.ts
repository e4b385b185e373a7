// Code coverage reaches the explorer as `newCode` on an outcome of a batch: such a batch counts as
// productive like one with new assertion bits, so the mark is not barren.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type BatchRunner, type ExplorationConfig, Multiverse, type TimelineOutcome, validateExplorationConfig } from '../src/index.js';

const CONFIG: ExplorationConfig = {
  maxDepth: 1,
  timelinesPerSplit: 5,
  globalEnergy: 1000,
  adaptive: { batchSize: 5, minTimelines: 5, maxTimelines: 50, perMarkEnergy: 50 },
};

function outcome(root: boolean): TimelineOutcome {
  return {
    bug: false,
    coverage: [0], // every timeline finds the same assertion bit
    splitpoints: root ? [{ mark: 'A', count: 10, seed: 1n }] : [],
    draws: 100,
    ownDraws: 100,
  };
}

/** Children of the first `newCodeBatches` child batches ran new code (on the batch's first outcome). */
function runner(newCodeBatches: number, sizes: number[]): BatchRunner {
  let childBatches = 0;
  return async (recipes) => {
    if (recipes.length === 1 && recipes[0]?.length === 0) return [outcome(true)];
    sizes.push(recipes.length);
    const fresh = childBatches++ < newCodeBatches;
    return recipes.map((_, i) => (fresh && i === 0 ? { ...outcome(false), newCode: true as const } : outcome(false)));
  };
}

describe('Multiverse: new code makes a batch productive', () => {
  it('without it the mark is barren after one batch; with it, it runs until a batch brings nothing new', async () => {
    const plain: number[] = [];
    await new Multiverse(CONFIG, runner(0, plain)).exploreSeed(1n);
    assert.deepEqual(plain, [5]);
    const covered: number[] = [];
    const r = await new Multiverse(CONFIG, runner(3, covered)).exploreSeed(1n);
    assert.deepEqual(covered, [5, 5, 5, 5]);
    assert.equal(r.timelines, 20);
  });

  it('codeCoverage is validated with the rest of the configuration', () => {
    for (const ok of [true, false, {}, { modules: ['/srv/app/'] }]) {
      assert.doesNotThrow(() => validateExplorationConfig({ ...CONFIG, codeCoverage: ok }));
    }
    const bad: unknown[] = ['yes', 1, null, { modules: '/srv' }, { modules: [''] }, { modules: [3] }];
    for (const value of bad) {
      assert.throws(
        () => validateExplorationConfig({ ...CONFIG, codeCoverage: value as ExplorationConfig['codeCoverage'] }),
        (err: unknown) => err instanceof RangeError && err.message.includes('codeCoverage'),
        JSON.stringify(value),
      );
    }
  });
});
