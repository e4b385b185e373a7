// Iterations that process the same events still have distinct trace hashes across seeds: the hash
// covers the generator's final state.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SimulationBuilder } from '../../src/builder/builder.js';
import { runSeeds, workload } from '../support/builder-helpers.js';

describe('trace hash across seeds', () => {
  it('empty iterations of different seeds differ', async () => {
    const seeds = Array.from({ length: 300 }, (_, i) => BigInt(i + 1));
    const builder = new SimulationBuilder().workload(workload('empty', async () => {}));
    const report = await runSeeds(builder, seeds);
    assert.equal(report.runs.length, 300);
    assert.ok(report.runs.every((r) => r.ok));
    const events = new Set(report.runs.map((r) => r.events));
    assert.equal(events.size, 1, 'every iteration processes the same number of events');
    assert.equal(new Set(report.runs.map((r) => r.traceHash)).size, 300);
  });

  it('the same seed gives the same hash', async () => {
    const run = async (): Promise<string> => {
      const builder = new SimulationBuilder().workload(workload('empty', async () => {}));
      const report = await runSeeds(builder, [42n]);
      return report.runs[0]?.traceHash ?? '';
    };
    assert.equal(await run(), await run());
  });
});
