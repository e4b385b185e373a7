// The trace hash covers what storage writes: two simulations that differ only in one byte written
// to a file (or in where it is written) have different hashes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Workload } from '../../src/engine/context.js';
import { quiet } from '../support/fault-injector-helpers.js';

function writer(position: number, lastByte: number): Workload {
  return {
    name: 'writer',
    async run(ctx) {
      const file = await ctx.storage.open('/data', { read: true, write: true, create: true });
      await file.writeAt(position, Uint8Array.from([1, 2, 3, lastByte]));
      await file.syncAll();
      await file.close();
    },
  };
}

async function hashWriting(
  position: number,
  lastByte: number,
  seed: bigint,
): Promise<{ hash: string; events: number }> {
  const report = await quiet().workload(writer(position, lastByte)).setDebugSeeds([seed]).run();
  const run = report.runs[0];
  assert.ok(run?.ok, run?.error);
  return { hash: run.traceHash, events: run.events };
}

describe('trace hash: storage writes', () => {
  it('one different byte written to a file gives a different hash, all else equal', async () => {
    for (const seed of [1n, 2n, 3n]) {
      const a = await hashWriting(0, 7, seed);
      const b = await hashWriting(0, 8, seed);
      assert.equal(a.events, b.events, 'the same events either way');
      assert.notEqual(a.hash, b.hash, `seed ${seed}`);
      assert.equal((await hashWriting(0, 7, seed)).hash, a.hash, 'and the same byte gives the same hash');
    }
  });

  it('the same bytes at another offset give a different hash', async () => {
    const a = await hashWriting(0, 7, 5n);
    const b = await hashWriting(4, 7, 5n);
    assert.equal(a.events, b.events);
    assert.notEqual(a.hash, b.hash);
  });
});
