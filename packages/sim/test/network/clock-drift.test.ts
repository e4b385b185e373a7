// Clock drift: each machine's timer() runs ahead of now() by a constant drawn below clockDriftMaxMs,
// none when drift is disabled.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NetworkConfiguration } from '../../src/config/network-configuration.js';
import { SimulationBuilder } from '../../src/builder/builder.js';
import type { SimContext } from '../../src/engine/context.js';
import { quietNetwork } from '../support/network-harness.js';
import { runBuilder } from '../support/network-fault-helpers.js';

describe('network faults: clock drift (builder)', () => {
  async function drifts(config: NetworkConfiguration): Promise<number[]> {
    const out: number[] = [];
    const record = async (ctx: SimContext): Promise<void> => {
      const drift = ctx.time.timer() - ctx.time.now();
      await ctx.time.sleep(25);
      assert.ok(Math.abs(ctx.time.timer() - ctx.time.now() - drift) < 1e-6, 'drift is constant for a machine');
      out.push(drift);
    };
    await runBuilder(
      new SimulationBuilder()
        .setNetworkConfiguration(config)
        .processes(3, () => ({ name: 'p', run: record }))
        .workloads(2, () => ({ name: 'w', run: record })),
      [1, 2, 3, 4, 5, 6, 7, 8],
    );
    return out;
  }

  it('every machine\'s timer() runs ahead of now() by [0, clockDriftMaxMs); 0 when disabled', async () => {
    const on = await drifts(quietNetwork({ clockDriftEnabled: true, clockDriftMaxMs: 40 }));
    assert.equal(on.length, 40);
    assert.ok(on.every((d) => d >= 0 && d < 40), `drifts: ${on.join(',')}`);
    assert.ok(new Set(on).size > 30, 'each machine draws its own drift');
    assert.ok(Math.max(...on) > 20);
    const off = await drifts(quietNetwork({ clockDriftEnabled: false, clockDriftMaxMs: 40 }));
    assert.deepEqual(new Set(off), new Set([0]));
    const disabled = await drifts(NetworkConfiguration.fastLocal());
    assert.deepEqual(new Set(disabled), new Set([0]));
  });
});
