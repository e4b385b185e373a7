// The trace hash covers the bytes the network delivers: two simulations that differ only in one
// byte sent over a connection have different hashes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Process, Workload } from '../../src/engine/context.js';
import { quiet } from '../support/fault-injector-helpers.js';

/** A sink that reads everything a client sends. */
const sink: Process = {
  name: 'sink',
  async run(ctx) {
    const listener = await ctx.network.bind(`${ctx.myIp}:7000`);
    for (;;) {
      const [stream] = await listener.accept();
      ctx.task.spawn('drain', async () => {
        while ((await stream.read()) !== null);
      });
    }
  },
};

function sender(lastByte: number): Workload {
  return {
    name: 'sender',
    async run(ctx) {
      const stream = await ctx.network.connect(`${ctx.topology.processIps[0]}:7000`);
      await stream.writeAll(Uint8Array.from([10, 20, 30, 40, 50, lastByte]));
      await ctx.time.sleep(10);
      await stream.close();
    },
  };
}

async function hashSending(lastByte: number, seed: bigint): Promise<{ hash: string; events: number }> {
  const report = await quiet()
    .processes(1, () => sink)
    .workload(sender(lastByte))
    .setDebugSeeds([seed])
    .run();
  const run = report.runs[0];
  assert.ok(run?.ok, run?.error);
  return { hash: run.traceHash, events: run.events };
}

describe('trace hash: network payloads', () => {
  it('one different byte written to a socket gives a different hash, all else equal', async () => {
    for (const seed of [1n, 2n, 3n]) {
      const a = await hashSending(60, seed);
      const b = await hashSending(61, seed);
      assert.equal(a.events, b.events, 'the same events either way');
      assert.notEqual(a.hash, b.hash, `seed ${seed}`);
      assert.equal((await hashSending(60, seed)).hash, a.hash, 'and the same byte gives the same hash');
    }
  });
});
