// Shards and merges: the merge of n shards of a run, in any order, is the report of the unsharded
// run (same seeds, trace hashes, counts, assertions, exploration, verdict); duplicated or overlapping
// parts count once, disagreeing ones are non-determinism, mismatched ones are refused.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  assertAlways,
  assertAlwaysLessThan,
  assertSometimes,
  assertSometimesAll,
  assertSometimesEach,
  assertSometimesGreaterThan,
} from '@moonpool/core';
import { SimulationBuilder } from '../../src/builder/builder.js';
import type { Workload } from '../../src/engine/context.js';
import { mergeReports, mergeResultToReport } from '../../src/report/merge-reports.js';
import {
  type MergeableReport,
  ReportMergeError,
  toMergeableReport,
} from '../../src/report/mergeable-report.js';
import { parseMergeableReport } from '../../src/report/parse-mergeable-report.js';
import { reportSucceeded, type SimulationReport } from '../../src/report/simulation-report.js';
import { IndexSelectionError } from '../../src/run/index-selection.js';

/** Every assertion family, with results that depend on the seed (so that shards differ). */
const mixed: Workload = {
  name: 'mixed',
  async run(ctx) {
    const x = ctx.random.randomRange(0, 1000);
    await ctx.time.sleep(1 + (x % 7));
    assertAlways(x % 9 !== 4, 'x is never 4 mod 9');
    assertSometimes(x > 900, 'x is sometimes high');
    assertSometimes(x > 5000, 'x is never that high');
    assertSometimesGreaterThan(x, 990, 'x beyond 990');
    assertAlwaysLessThan(x, 2000, 'x below 2000');
    assertSometimesAll('bits', { a: (x & 1) === 1, b: (x & 2) === 2, c: (x & 4) === 4 });
    assertSometimesEach('decile', { d: Math.floor(x / 100) }, { x });
  },
};

function plain(iterations: number): SimulationBuilder {
  return new SimulationBuilder().setName('mixed').workload(mixed).setIterations(iterations).setBaseSeed(42);
}

const LOCKS = 2;
const GATES = 3;
/** Nested gates, as in the maze: exploration finds the opened locks. */
const gates: Workload = {
  name: 'gates',
  async run(ctx) {
    let open = 0;
    for (let step = 0; step < 30 && open < LOCKS; step++) {
      ctx.random.random();
      for (let depth = 0; depth < GATES; depth++) {
        assertSometimesEach('gate', { lock: open, depth });
        if (ctx.random.random() >= 0.2) break;
        if (depth === GATES - 1) open++;
      }
    }
    assertAlways(open < LOCKS, 'not every lock opens');
    await ctx.time.sleep(1);
  },
};

function exploring(iterations: number): SimulationBuilder {
  return new SimulationBuilder()
    .setName('gates')
    .workload(gates)
    .enableExploration({
      maxDepth: 10,
      timelinesPerSplit: 3,
      globalEnergy: 60,
      adaptive: { batchSize: 4, minTimelines: 4, maxTimelines: 12, perMarkEnergy: 12, warmMinTimelines: 4 },
    })
    .setIterations(iterations);
}

/** The report without what wall-clock time and the machine decide. */
function comparable(report: SimulationReport): unknown {
  const { totalWallMs: _t, runs, exploration, ...rest } = report;
  return {
    ...rest,
    runs: runs.map(({ wallMs: _w, ...run }) => run),
    ...(exploration === undefined ? {} : { exploration: { ...exploration, threads: 0 } }),
  };
}

function roundTrip(report: SimulationReport): MergeableReport {
  return parseMergeableReport(JSON.stringify(toMergeableReport([report])), 'test');
}

async function shards(build: () => SimulationBuilder, n: number): Promise<MergeableReport[]> {
  const out: MergeableReport[] = [];
  for (let i = 1; i <= n; i++) out.push(roundTrip(await build().setShard(i, n).run()));
  return out;
}

/** A fixed shuffle (the test is deterministic). */
function shuffled<T>(items: readonly T[], salt: number): T[] {
  return items
    .map((item, i) => ({ item, key: (i * 7919 + salt * 104729) % 1009 }))
    .sort((a, b) => a.key - b.key)
    .map((e) => e.item);
}

function only(reports: readonly MergeableReport[]) {
  const [sim] = mergeReports(reports).simulations;
  assert.ok(sim);
  return sim;
}

describe('merging shards of a plain run', () => {
  it('equals the unsharded run for 1, 2, 3 and 7 shards in any order', async () => {
    const whole = await plain(20).run();
    assert.ok(whole.failedRuns > 0 && whole.successfulRuns > 0, 'the run has both outcomes');
    for (const n of [1, 2, 3, 7]) {
      const merged = only(shuffled(await shards(() => plain(20), n), n));
      assert.equal(merged.complete, true);
      assert.deepEqual(comparable(merged.report), comparable(whole), `${n} shards`);
      assert.equal(reportSucceeded(merged.report), reportSucceeded(whole));
    }
  });

  it('counts duplicated shards and overlapping splits once', async () => {
    const halves = await shards(() => plain(12), 2);
    const quarters = await shards(() => plain(12), 4);
    const whole = await plain(12).run();
    const merged = only([...quarters, halves[0] as MergeableReport, halves[0] as MergeableReport, ...halves]);
    assert.deepEqual(comparable(merged.report), comparable(whole));
    assert.equal(merged.unused.filter((u) => u.reason === 'duplicate').length, 2);
    assert.ok(merged.unused.some((u) => u.reason === 'overlap'));
  });

  it('refuses overlaps that no choice of parts counts once', async () => {
    const a = roundTrip(await plain(10).setIndexRange(0, 6).run());
    const b = roundTrip(await plain(10).setIndexRange(4, 10).run());
    assert.throws(() => mergeReports([a, b], ['a.json', 'b.json']), /overlapping parts a\.json \(0:6\), b\.json \(4:10\)/);
  });

  it('reports the missing indices of an incomplete merge', async () => {
    const [first, , third] = await shards(() => plain(9), 3);
    const merged = only([third as MergeableReport, first as MergeableReport]);
    assert.equal(merged.complete, false);
    assert.deepEqual(merged.missing, [{ from: 3, to: 6 }]);
    assert.equal(merged.report.iterations, 6);
    // Written back, the merge keeps both stretches and merges again with the missing shard.
    const again = only([mergeResultToReport(mergeReports([first as MergeableReport, third as MergeableReport]))]);
    assert.deepEqual(again.missing, [{ from: 3, to: 6 }]);
  });

  it('detects two parts that disagree on an index (non-determinism)', async () => {
    const a = roundTrip(await plain(4).run());
    const b = structuredClone(a);
    const run = b.simulations[0]?.runs[2];
    assert.ok(run);
    run.traceHash = '0000000000000000';
    assert.throws(() => mergeReports([a, b], ['a.json', 'b.json']), /non-determinism: index 2 .* in a\.json but 0+ in b\.json/);
  });

  it('refuses reports of other configurations, simulations or versions', async () => {
    const a = roundTrip(await plain(4).setShard(1, 2).run());
    const other = roundTrip(await plain(4).setBaseSeed(7).setShard(2, 2).run());
    assert.throws(() => mergeReports([a, other], ['a', 'b']), /different configurations \(base seed 42 vs 7\)/);
    const limits = roundTrip(await plain(4).setLimits({ maxEvents: 123_456 }).setShard(2, 2).run());
    assert.throws(() => mergeReports([a, limits]), /fingerprints differ/);
    const renamed = structuredClone(a);
    (renamed.simulations[0] as { name: string }).name = 'other';
    assert.throws(() => mergeReports([a, renamed]), /only reports of the same simulations merge/);
    const newer = { ...structuredClone(a), moonpoolVersion: '9.9.9' };
    assert.throws(() => mergeReports([a, newer]), /moonpool 9\.9\.9/);
  });

  it('refuses bad and truncated files with the field at fault', async () => {
    const text = JSON.stringify(toMergeableReport([await plain(3).run()]));
    assert.throws(() => parseMergeableReport(text.slice(0, text.length / 2), 'cut.json'), /cut\.json: not valid JSON \(is the file truncated\?\)/);
    assert.throws(() => parseMergeableReport('{"a":1}', 'x.json'), /x\.json: not a moonpool mergeable report/);
    const bad = JSON.parse(text) as MergeableReport;
    (bad.simulations[0]?.runs[1] as { traceHash: unknown }).traceHash = 5;
    assert.throws(() => parseMergeableReport(JSON.stringify(bad), 'bad.json'), (err: Error) => {
      assert.ok(err instanceof ReportMergeError);
      assert.match(err.message, /bad\.json: simulations\[0\]\.runs\[1\]\.traceHash: expected a string/);
      return true;
    });
  });

  it('refuses shards of runs that have no fixed indices, and selections that do not fit', async () => {
    await assert.rejects(plain(4).setDebugSeeds([1n]).setShard(1, 2).run(), IndexSelectionError);
    await assert.rejects(plain(4).setShard(3, 2).run(), /shard number must be between 1 and 2/);
    await assert.rejects(plain(4).setIndexRange(2, 9).run(), /beyond the run's 4 iterations/);
    const pinned = await plain(1).setDebugSeeds([5n]).run();
    assert.throws(() => toMergeableReport([pinned]), /only a run of a fixed number of iterations can be merged/);
  });
});

describe('merging shards of an exploration', () => {
  it('explores each root seed on its own, so the merge equals the whole run as one shard', async () => {
    const whole = await exploring(5).setShard(1, 1).run();
    assert.ok((whole.exploration?.totalTimelines ?? 0) > 5, 'the exploration branched');
    for (const n of [2, 3, 7]) {
      const merged = only(shuffled(await shards(() => exploring(5), n), n));
      assert.deepEqual(comparable(merged.report), comparable(whole), `${n} shards`);
    }
  });

  it('refuses to merge a warm whole run with shards, saying how to get a mergeable whole', async () => {
    const warm = roundTrip(await exploring(2).run());
    const [shard] = await shards(() => exploring(2), 2);
    assert.throws(() => mergeReports([warm, shard as MergeableReport]), /run the whole as --shard 1\/1/);
  });
});
