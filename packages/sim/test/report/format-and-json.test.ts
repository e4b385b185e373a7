import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stripVTControlCharacters } from 'node:util';
import { AssertionStore, formatBugRecipe } from '@moonpool/explorer';
import type { ExplorationReport } from '../../src/report/exploration-report.js';
import { duration, formatReport, thousands } from '../../src/report/format-report.js';
import { reportToJson } from '../../src/report/report-json.js';
import type { SimulationReport } from '../../src/report/simulation-report.js';
import { violatedMessages } from '../../src/report/violations.js';

function sampleReport(): SimulationReport {
  const store = new AssertionStore();
  for (let i = 0; i < 12_847; i++) {
    store.recordBool('Always', i >= 47, 'read matches model');
    store.recordBool('Sometimes', i % 2 === 0 && i < 12_204, 'set_succeeded');
  }
  store.recordBool('Sometimes', false, 'never happens');
  store.recordNumeric('NumericSometimes', 'gt', 2n ** 63n + 5n, 0, 'big value');
  store.recordNumeric('NumericAlways', 'le', 7, 10, 'queue bounded');
  store.recordSometimesAll('all up', { a: true, b: false });
  store.recordEach('floor', { f: 1 });
  store.recordEach('floor', { f: 2 }, { hp: 3 });
  store.warn('something odd');
  const { alwaysViolations, coverageViolations } = violatedMessages(store.results());
  const seedsUsed = [7891n, 42033n, 18446744073709551615n];
  return {
    name: 'kv-store',
    iterations: 3,
    successfulRuns: 1,
    failedRuns: 2,
    seedsUsed,
    seedsFailing: [7891n, 42033n],
    runs: [
      {
        seed: 7891n,
        ok: false,
        traceHash: 'aa',
        events: 8000,
        simTimeMs: 45_000,
        wallMs: 10,
        error: 'deadlock: 2 tasks parked',
        alwaysViolations: [],
      },
      {
        seed: 42033n,
        ok: false,
        traceHash: 'bb',
        events: 9000,
        simTimeMs: 45_000,
        wallMs: 12,
        alwaysViolations: ['read matches model'],
      },
      {
        seed: 18446744073709551615n,
        ok: true,
        traceHash: 'cc',
        events: 8296,
        simTimeMs: 45_690,
        wallMs: 14,
        alwaysViolations: [],
      },
    ],
    assertions: store.results(),
    alwaysViolations,
    coverageViolations,
    warnings: store.warnings(),
    totalWallMs: 1200,
  };
}

const EMPTY_EXPLORATION: ExplorationReport = {
  totalTimelines: 1,
  forkPoints: 0,
  bugsFound: 0,
  bugRecipes: [],
  energyRemaining: 0,
  reallocPoolRemaining: 0,
  coverageBits: 0,
  coverageTotal: 8192,
  converged: false,
  perSeedTimelines: [1],
  draws: 0,
  ownDraws: 0,
  threads: 1,
};

describe('formatReport', () => {
  const text = formatReport(sampleReport());
  const lines = text.split('\n');

  it('prints the header and summary lines', () => {
    assert.equal(lines[0], '=== Simulation Report ===');
    assert.ok(text.includes('Name: kv-store'));
    assert.ok(text.includes('  Iterations: 3  |  Passed: 1  |  Failed: 2  |  Rate: 33.3%'), text);
    assert.ok(text.includes('  Faulty seeds: [7891, 42033]'));
    assert.ok(
      text.includes(
        '  Avg Wall Time: 12ms   Total: 1.20s   Avg Sim Time: 45.23s   Avg Events: 8,432',
      ),
      text,
    );
  });

  it('prints the assertion table', () => {
    assert.ok(text.includes('--- Assertions (7) ---'));
    const row = (msg: string) => lines.find((l) => l.includes(`"${msg}"`)) ?? '';
    assert.match(
      row('read matches model'),
      /^ {2}FAIL {2}\[always +\] {2}"read matches model" +12,800 pass {2}47 fail$/,
    );
    assert.match(row('set_succeeded'), /PASS {2}\[sometimes +\] .* 6,102 \/ 12,847 \(47\.5%\)$/);
    assert.match(row('never happens'), /MISS {2}\[sometimes +\] .* 0 \/ 1 \(0\.0%\)$/);
    assert.match(row('big value'), /PASS {2}\[sometimes > *\] .*watermark 9223372036854775813$/);
    assert.match(
      row('queue bounded'),
      /PASS {2}\[always <= *\] .*1 pass {2}0 fail {2}watermark 7$/,
    );
    assert.match(row('all up'), /MISS {2}\[sometimes-all *\] .*frontier 1\/2$/);
    assert.match(row('floor'), /PASS {2}\[each +\] .*2 buckets {2}2 hits$/);
    // The kind column is aligned.
    const brackets = lines
      .filter((l) => /^ {2}(PASS|FAIL|MISS)/.test(l))
      .map((l) => l.indexOf(']'));
    assert.equal(new Set(brackets).size, 1);
  });

  it('lists violations, warnings and failing runs', () => {
    assert.ok(text.includes('--- Always Violations (1) ---'));
    assert.ok(text.includes('"read matches model" failed 47 of 12847 times'));
    assert.ok(text.includes('--- Coverage Violations (1) ---'));
    assert.ok(text.includes('"never happens" was never true'));
    assert.ok(text.includes('--- Warnings (1) ---\n  something odd'));
    assert.ok(text.includes('--- Failed Runs (2) ---'));
    assert.ok(text.includes('  seed 7891: deadlock: 2 tasks parked'));
    assert.ok(text.includes('  seed 42033: read matches model'));
  });

  it('has no escape codes unless asked, and colours when asked', () => {
    assert.ok(!text.includes('\u001b['));
    const coloured = formatReport(sampleReport(), { color: true });
    assert.ok(coloured.includes('\u001b[31mFAIL\u001b[39m'));
    assert.ok(coloured.includes('\u001b[32mPASS\u001b[39m'));
    assert.equal(stripAnsi(coloured), text);
  });

  it('omits empty sections', () => {
    const report = sampleReport();
    const clean = formatReport({
      ...report,
      seedsFailing: [],
      runs: [],
      assertions: [],
      alwaysViolations: [],
      coverageViolations: [],
      warnings: [],
    });
    assert.ok(!clean.includes('Faulty seeds'));
    assert.ok(!clean.includes('Violations'));
    assert.ok(clean.includes('--- Assertions (0) ---'));
    assert.ok(clean.includes('Avg Events: 0'));
  });

  it('ends with the builder call that replays the failing seeds', () => {
    assert.ok(text.endsWith('--- Replay (on the same builder) ---\n  .setDebugSeeds([7891n, 42033n])'), text);
    assert.ok(!formatReport(sampleReport(), { replayHint: false }).includes('Replay'));
  });

  it('lists the first 10 failing runs, counts the rest, and replays the 10 shown', () => {
    const report = sampleReport();
    const seeds = Array.from({ length: 131 }, (_, i) => BigInt(1000 + i));
    const many = formatReport({
      ...report,
      iterations: 1000,
      failedRuns: 131,
      seedsFailing: seeds,
      runs: seeds.map((seed) => ({ ...report.runs[1]!, seed })),
    });
    assert.ok(many.includes('  Faulty seeds: [1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009, … and 121 more]'));
    assert.ok(many.includes('--- Failed Runs (131) ---'));
    assert.ok(many.includes('  seed 1009: read matches model\n  … and 121 more failing seeds'), many);
    assert.ok(!many.includes('seed 1010'));
    const shown = seeds.slice(0, 10).map((s) => `${s}n`).join(', ');
    assert.ok(many.endsWith(`  .setDebugSeeds([${shown}])`), many);
  });

  it('replays the bugs of an exploration by recipe', () => {
    const report = sampleReport();
    const bug = { rootSeed: 7891n, recipe: [{ count: 12, seed: 5n }] };
    const explored = formatReport({
      ...report,
      exploration: { ...EMPTY_EXPLORATION, bugsFound: 1, bugRecipes: [bug] },
    });
    assert.ok(explored.endsWith(`  .replayRecipe('${formatBugRecipe(bug)}')`), explored);
  });

  it('formats numbers and durations independently of locale', () => {
    assert.equal(thousands(0), '0');
    assert.equal(thousands(999), '999');
    assert.equal(thousands(1000), '1,000');
    assert.equal(thousands(1234567), '1,234,567');
    assert.equal(thousands(-12345), '-12,345');
    assert.equal(duration(12.4), '12ms');
    assert.equal(duration(1200), '1.20s');
  });
});

describe('reportToJson', () => {
  it('survives a JSON round trip with seeds and bigints as decimal strings', () => {
    const json = reportToJson(sampleReport());
    const back = JSON.parse(JSON.stringify(json));
    assert.deepEqual(back, json);
    assert.equal(back.name, 'kv-store');
    assert.deepEqual([back.iterations, back.successfulRuns, back.failedRuns], [3, 1, 2]);
    assert.deepEqual(back.seedsUsed, ['7891', '42033', '18446744073709551615']);
    assert.deepEqual(back.seedsFailing, ['7891', '42033']);
    assert.equal(back.alwaysViolations.length, 1);
    assert.equal(back.coverageViolations.length, 1);
    assert.deepEqual(back.warnings, ['something odd']);
    assert.equal(back.totalWallMs, 1200);
  });

  it('includes assertion details only when present', () => {
    const back = JSON.parse(JSON.stringify(reportToJson(sampleReport())));
    const byMsg = (msg: string) => back.assertions.find((a: { msg: string }) => a.msg === msg);
    assert.deepEqual(byMsg('read matches model'), {
      msg: 'read matches model',
      kind: 'Always',
      status: 'fail',
      passCount: 12_800,
      failCount: 47,
    });
    assert.equal(byMsg('big value').watermark, '9223372036854775813');
    assert.equal(byMsg('queue bounded').watermark, 7);
    assert.equal(byMsg('all up').frontier, 1);
    assert.deepEqual(byMsg('floor').buckets, [
      { key: '{"f":1}', hits: 1 },
      { key: '{"f":2}', hits: 1, quality: { hp: 3 } },
    ]);
  });

  it('describes each run', () => {
    const back = JSON.parse(JSON.stringify(reportToJson(sampleReport())));
    assert.deepEqual(back.runs[0], {
      seed: '7891',
      ok: false,
      traceHash: 'aa',
      events: 8000,
      simTimeMs: 45_000,
      wallMs: 10,
      error: 'deadlock: 2 tasks parked',
      alwaysViolations: [],
    });
    assert.equal(back.runs[2].seed, '18446744073709551615');
    assert.equal('error' in back.runs[2], false);
  });
});

function stripAnsi(text: string): string {
  return stripVTControlCharacters(text);
}
