// builder.setStallTimeout: the watchdog's setting, and a healthy run with the watchdog on.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SimulationBuilder } from '../../src/index.js';
import { watchedProgress } from '../../src/kernel/progress-cell.js';

describe('setStallTimeout', () => {
  it('a healthy run with the watchdog on finishes, and the watchdog stops with it', async () => {
    let watchedDuringRun = false;
    const report = await new SimulationBuilder()
      .workload({
        name: 'w',
        async run(ctx) {
          watchedDuringRun = watchedProgress() !== null;
          await ctx.time.sleep(10);
        },
      })
      .setIterations(20)
      .setStallTimeout(5000)
      .run();
    assert.equal(report.failedRuns, 0);
    assert.equal(watchedDuringRun, true);
    assert.equal(watchedProgress(), null, 'nothing is watched after the run');
  });

  it('is off by default', async () => {
    let watched = true;
    await new SimulationBuilder()
      .workload({
        name: 'w',
        async run() {
          watched = watchedProgress() !== null;
        },
      })
      .run();
    assert.equal(watched, false);
  });

  it('takes ms >= 0, or null', () => {
    const b = new SimulationBuilder();
    b.setStallTimeout(0).setStallTimeout(null).setStallTimeout(1.5);
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(() => b.setStallTimeout(bad), /stall timeout must be a number of ms >= 0/);
    }
  });
});
