// Attrition is deterministic: the same seed gives the same trace and fault timeline.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Stream } from '@moonpool/core';
import type { IterationRun } from '../../src/report/simulation-report.js';
import { SimulationBuilder } from '../../src/builder/builder.js';
import { Cooperative, type Observation, observer, PORT } from '../support/attrition.js';

describe('attrition: determinism', () => {
  async function trace(seed: number): Promise<{ hash: string; faults: string }> {
    const observations: Observation[] = [];
    const report = await new SimulationBuilder()
      .processes(4, () => new Cooperative(5))
      .attrition({ maxDead: 2, probGraceful: 1, probCrash: 1, probWipe: 1, recoveryDelayMs: [500, 3000] })
      .chaosDuration(30_000)
      .workload(observer(31_000, observations))
      .workload({
        name: 'pinger',
        async run(ctx) {
          // Some network traffic with the default (chaotic) network, to and from rebooting processes.
          for (let i = 0; i < 30; i++) {
            const ip = ctx.topology.processIps[i % 4] as string;
            await ctx.time.timeout(50, ctx.network.connect(`${ip}:${PORT}`)).then((s: Stream) => s.abort(), () => {});
            await ctx.time.sleep(ctx.random.randomRange(100, 1000));
          }
        },
      })
      .setDebugSeeds([seed])
      .run();
    const run = report.runs[0] as IterationRun;
    assert.ok(run.ok, run.error);
    return { hash: run.traceHash, faults: JSON.stringify(observations[0]?.faults) };
  }

  it('same seed: same trace hash and same fault timeline; another seed: a different run', async () => {
    const a = await trace(21);
    const b = await trace(21);
    const c = await trace(22);
    assert.equal(a.hash, b.hash);
    assert.equal(a.faults, b.faults);
    assert.ok(JSON.parse(a.faults).length > 5, 'attrition injected faults');
    assert.notEqual(a.hash, c.hash);
    assert.notEqual(a.faults, c.faults);
  });
});
