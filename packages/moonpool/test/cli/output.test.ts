import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SimulationReport } from '@moonpool/sim';
import { formatOutcome } from '../../src/cli/output.js';

function failingReport(count: number): SimulationReport {
  const seeds = Array.from({ length: count }, (_, i) => BigInt(500 + i));
  return {
    name: 'watch',
    iterations: 1000,
    successfulRuns: 1000 - count,
    failedRuns: count,
    seedsUsed: seeds,
    seedsFailing: seeds,
    runs: seeds.map((seed) => ({
      seed,
      ok: false,
      traceHash: 'aa',
      events: 10,
      simTimeMs: 1000,
      wallMs: 1,
      alwaysViolations: ['heartbeat is fresh'],
    })),
    assertions: [],
    alwaysViolations: ['heartbeat is fresh'],
    coverageViolations: [],
    warnings: [],
    totalWallMs: 100,
  };
}

describe('formatOutcome', () => {
  it('prints the command of the first 10 failing seeds, counts the rest, and no builder call', () => {
    const text = formatOutcome({ name: 'watch', report: failingReport(131), expectFailure: false }, false, undefined);
    const reproduce = text.split('--- Reproduce (131) ---\n')[1]?.split('\n') ?? [];
    assert.deepEqual(reproduce.slice(0, 2), ['  npx moonpool sim run watch --seed 500', '  npx moonpool sim run watch --seed 501']);
    assert.equal(reproduce[9], '  npx moonpool sim run watch --seed 509');
    assert.equal(reproduce[10], '  … and 121 more failing seeds (--json lists them all)');
    assert.ok(text.includes('  … and 121 more failing seeds\n'), text);
    assert.ok(!text.includes('setDebugSeeds'));
  });
});
