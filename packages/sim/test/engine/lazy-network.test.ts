// The cluster builds its network and storage on first use; one built after the chaos phase has
// chaos off, as the network built at the start of the iteration would have by then.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Cluster } from '../../src/engine/cluster.js';
import type { SimContext } from '../../src/engine/context.js';
import { expectOk, runOnce } from '../support/builder-helpers.js';

const clusterOf = (ctx: SimContext): Cluster => ctx.cluster as unknown as Cluster;

describe('cluster: network and storage built on first use', () => {
  it('a network first used after the chaos phase has its faults off; one used during it, on', async () => {
    const seen: boolean[] = [];
    const run = await runOnce((b) =>
      b.chaosDuration(50).workload({
        name: 'probe',
        async run(ctx) {
          await ctx.time.sleep(100);
        },
        async check(ctx) {
          seen.push(clusterOf(ctx).network.chaosActive);
        },
      }),
    );
    expectOk(run);
    const during = await runOnce((b) =>
      b.chaosDuration(1000).workload({
        name: 'probe',
        async run(ctx) {
          seen.push(clusterOf(ctx).network.chaosActive);
        },
      }),
    );
    expectOk(during);
    assert.deepEqual(seen, [false, true]);
  });

  it('the network knows every machine and storage works when first used late in the iteration', async () => {
    let ips: readonly string[] = [];
    const run = await runOnce((b) =>
      b.workload({
        name: 'probe',
        async run(ctx) {
          await ctx.time.sleep(10);
          ips = clusterOf(ctx).network.ips;
          const file = await ctx.storage.open('late.txt', { create: true, write: true, read: true });
          await file.writeAt(0, new Uint8Array([1, 2, 3]));
          assert.equal(await ctx.storage.exists('late.txt'), true);
        },
      }),
    );
    expectOk(run);
    assert.deepEqual(ips, ['10.0.0.1']);
  });
});
