// builder.fingerprint(): what a run will report as its configuration fingerprint, known before it runs
// (a campaign worker refuses a job whose fingerprint differs from its own build's, without running it).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SimulationBuilder } from '../../src/builder/builder.js';

const build = (): SimulationBuilder =>
  new SimulationBuilder().workload({
    name: 'w',
    async run(ctx) {
      await ctx.time.sleep(ctx.random.randomRange(1, 10));
    },
  });

describe('SimulationBuilder.fingerprint', () => {
  it('equals the fingerprint the run reports, for a whole run and a range of it', async () => {
    for (const b of [build().setIterations(6), build().setIterations(6).setIndexRange(2, 4)]) {
      const before = b.fingerprint();
      const report = await b.run();
      assert.equal(before, report.indices?.fingerprint);
    }
  });

  it('changes with the configuration and is null when the iterations are not counted', () => {
    assert.notEqual(build().setIterations(6).fingerprint(), build().setIterations(7).fingerprint());
    assert.notEqual(build().setIterations(6).fingerprint(), build().setIterations(6).setBaseSeed(1).fingerprint());
    assert.equal(build().setIterations(6).setIndexRange(0, 3).fingerprint(), build().setIterations(6).fingerprint());
    assert.equal(build().setDebugSeeds([1n]).fingerprint(), null);
    assert.equal(build().setWallClockBudget(100).fingerprint(), null);
  });
});
