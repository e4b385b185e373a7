// A fault injector's time and random draws belong to the simulation: seeded and replayable.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { injector, quiet, sleeper } from '../support/fault-injector-helpers.js';

describe('fault injectors: time and random', () => {
  async function draws(seed: number): Promise<{ slept: number; values: number[] }> {
    const out = { slept: NaN, values: [] as number[] };
    const report = await quiet()
      .processes(1, sleeper)
      .fault(
        injector('dice', async (f) => {
          const t0 = f.time.now();
          await f.time.sleep(250);
          out.slept = f.time.now() - t0;
          for (let i = 0; i < 5; i++) out.values.push(f.random.randomRange(0, 1_000_000));
          out.values.push(f.random.random(), f.random.randomRatio());
        }),
      )
      .chaosDuration(1000)
      .workload({
        name: 'w',
        async run(ctx) {
          await ctx.time.sleep(300);
        },
      })
      .setDebugSeeds([seed])
      .run();
    assert.equal(report.failedRuns, 0);
    return out;
  }

  it('time advances with the simulation; random draws come from the seed', async () => {
    const a = await draws(5);
    const b = await draws(5);
    const c = await draws(6);
    assert.equal(a.slept, 250);
    assert.equal(a.values.length, 7);
    assert.ok(a.values.slice(0, 5).every((v) => Number.isInteger(v) && v >= 0 && v < 1_000_000));
    assert.ok(a.values.slice(5).every((v) => v >= 0 && v < 1));
    assert.deepEqual(a, b, 'same seed, same draws');
    assert.notDeepEqual(a.values, c.values, 'another seed, other draws');
  });
});
