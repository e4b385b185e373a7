// Partial writes: a buggified write may send only a prefix (at most partialWriteMaxBytes), at the
// buggify firing rate, never once chaos has ended; writeAll still delivers every byte in order.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { concat, patternBytes } from '../support/bytes.js';
import { inRange, measurable, net, pair, readToEnd } from '../support/network-fault-helpers.js';

describe('network faults: partial writes (network.partial_write, partialWriteMaxBytes)', () => {
  it('short writes return at most partialWriteMaxBytes and exactly that prefix is delivered', async () => {
    const h = await net({ config: measurable({ partialWriteMaxBytes: 100 }), buggify: 'always' }, async (h, a, b) => {
      const { client, server } = await pair(a, b);
      const sent: Uint8Array[] = [];
      let short = 0;
      for (let i = 0; i < 200; i++) {
        const data = patternBytes(1000, i + 1);
        const n = await client.write(data);
        inRange(n, 0, 100, 'short write length');
        if (n < data.length) short++;
        sent.push(data.subarray(0, n));
      }
      assert.equal(short, 200, 'every buggified write of 1000 bytes is cut to <= 100');
      await client.close();
      assert.deepEqual(await readToEnd(server), concat(sent));
    });
    assert.ok(h.buggifyCalls.includes('network.partial_write'));
  });

  it('short writes happen at the buggify firing rate (25 %)', async () => {
    await net(
      { config: measurable({ partialWriteMaxBytes: 50 }), buggify: { activation: 1, firing: 0.25 } },
      async (h, a, b) => {
        const { client } = await pair(a, b);
        let short = 0;
        const n = 800;
        for (let i = 0; i < n; i++) if ((await client.write(new Uint8Array(200))) < 200) short++;
        inRange(short / n, 0.18, 0.32, 'short-write rate');
      },
    );
  });

  it('writeAll never loses, duplicates or reorders bytes under partial writes', async () => {
    await net({ config: measurable({ partialWriteMaxBytes: 300 }), buggify: 'always' }, async (h, a, b) => {
      const { client, server } = await pair(a, b);
      const parts = [patternBytes(150_000, 7), patternBytes(1, 8), patternBytes(4000, 9), patternBytes(70_001, 10)];
      const received = readToEnd(server);
      for (const p of parts) await client.writeAll(p);
      await client.close();
      const got = await received;
      assert.equal(got.length, 224_002);
      assert.deepEqual(got, concat(parts));
    });
  });

  it('partialWriteMaxBytes 0 never shortens a write (and buggify is not even asked)', async () => {
    const h = await net({ config: measurable({ partialWriteMaxBytes: 0 }), buggify: 'always' }, async (h, a, b) => {
      const { client } = await pair(a, b);
      for (let i = 0; i < 300; i++) assert.equal(await client.write(new Uint8Array(5000)), 5000);
    });
    assert.ok(!h.buggifyCalls.includes('network.partial_write'));
  });

  it('no short writes once chaos has ended, even with the site firing', async () => {
    await net({ config: measurable({ partialWriteMaxBytes: 100 }), buggify: 'always' }, async (h, a, b) => {
      const { client } = await pair(a, b);
      h.net.endChaos();
      for (let i = 0; i < 100; i++) assert.equal(await client.write(new Uint8Array(1000)), 1000);
    });
  });
});
