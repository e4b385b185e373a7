// Connections marked stable are exempt from every network fault.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Stream } from '@moonpool/core';
import { durationRange } from '../../src/config/duration-range.js';
import { markStable } from '../../src/network/sim-network-provider.js';
import { bytes, patternBytes } from '../support/bytes.js';
import {
  connId,
  dial,
  measurable,
  net,
  pair,
  readExactly,
  readToEnd,
  rejectsIo,
} from '../support/network-fault-helpers.js';

describe('network faults: stable connections (markStable)', () => {
  it('are exempt from bit flips, partial writes, random close, clogs and partitions', async () => {
    const config = measurable({
      bitFlipProbability: 1,
      partialWriteMaxBytes: 10,
      randomCloseProbability: 1,
      randomCloseCooldownMs: 0,
      randomCloseExplicitRatio: 1,
      clogProbability: 1,
      clogDuration: durationRange(100, 200),
      partitionProbability: 1,
      partitionDuration: durationRange(10, 20),
    });
    const h = await net({ config, buggify: 'always' }, async (h, a, b) => {
      const { client, server, listener } = await pair(a, b);
      markStable(client);
      const data = patternBytes(100_000, 21);
      const t0 = h.nowMs();
      const echoed = (async () => {
        const got = await readExactly(server, data.length);
        await server.writeAll(got);
        await server.close();
      })();
      for (let i = 0; i < 100; i++) {
        assert.equal(await client.write(data.subarray(i * 1000, (i + 1) * 1000)), 1000, 'never a short write');
      }
      await client.close();
      assert.deepEqual(await readToEnd(client), data, 'byte-exact both ways');
      await echoed;
      assert.ok(h.nowMs() - t0 < 50, 'never clogged or partitioned');
      // The control: an ordinary connection under the same chaos is broken at once.
      const [other] = await dial(a, listener);
      await rejectsIo(other.writeAll(bytes('x')), 'ECONNRESET');
      markStable(other); // too late: it is already reset
      const stableId = connId(client);
      for (const f of h.faults) {
        assert.notEqual((f.event as { connection?: number }).connection, stableId, `fault on the stable connection: ${f.event.type}`);
      }
    });
    assert.ok(h.faultsOf('RandomClose').length > 0);
  });

  it('markStable is a no-op for streams that are not simulated', () => {
    const fake = { localAddr: 'x', peerAddr: 'y' } as unknown as Stream;
    assert.doesNotThrow(() => markStable(fake));
  });
});
