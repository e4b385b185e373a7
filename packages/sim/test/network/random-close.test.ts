// Random close: an operation may close its connection, explicitly (reset) or silently (no more
// delivery), at randomCloseProbability, spaced by randomCloseCooldownMs, never once chaos has ended.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NetworkConfiguration } from '../../src/config/network-configuration.js';
import { bytes, text } from '../support/bytes.js';
import {
  A,
  B,
  dial,
  inRange,
  ioCode,
  measurable,
  net,
  outcome,
  pair,
  PORT,
  readExactly,
  rejectsIo,
} from '../support/network-fault-helpers.js';

describe('network faults: random close', () => {
  const closing = (ratio: number, cooldownMs = 60_000, p = 1): NetworkConfiguration =>
    measurable({ randomCloseProbability: p, randomCloseExplicitRatio: ratio, randomCloseCooldownMs: cooldownMs });

  it('explicit (ratio 1): the caller gets ECONNRESET, the peer after a latency; a RandomClose event', async () => {
    const h = await net({ config: closing(1) }, async (h, a, b) => {
      const { client, server } = await pair(a, b);
      const t0 = h.nowMs();
      // The first I/O draws the close; the long cooldown then protects every later operation.
      await rejectsIo(client.write(bytes('doomed')), 'ECONNRESET');
      await rejectsIo(server.read(), 'ECONNRESET');
      inRange(h.nowMs() - t0, 1, 2, 'reset reaches the peer after the write latency (ms)');
      await rejectsIo(client.read(), 'ECONNRESET');
    });
    const closes = h.faultsOf('RandomClose');
    assert.equal(closes.length, 1);
    assert.equal(closes[0]?.event.explicit, true);
    assert.equal(closes[0]?.event.ip, A);
  });

  it('silent (ratio 0): the connection just stops delivering; writes still succeed, reads time out', async () => {
    const h = await net({ config: closing(0) }, async (h, a, b) => {
      const { client, server } = await pair(a, b);
      assert.equal(await client.write(bytes('lost')), 4);
      assert.equal(await outcome(b, 2000, server.read()), 'timeout');
      assert.equal(await client.write(bytes('still lost')), 10);
      await client.close();
      assert.equal(await outcome(a, 2000, client.read()), 'timeout');
    });
    assert.deepEqual(h.faultsOf('RandomClose').map((f) => f.event.explicit), [false]);
  });

  it('respects randomCloseCooldownMs: no second close within the cooldown', async () => {
    const h = await net({ config: closing(1, 1000) }, async (h, a, b) => {
      const listener = await b.network.bind(`${B}:${PORT}`);
      const [c1] = await dial(a, listener);
      const t0 = h.nowMs();
      await rejectsIo(c1.write(bytes('x')), 'ECONNRESET');
      const [c2, s2] = await dial(a, listener);
      // Within the cooldown every operation works, on any connection.
      while (h.nowMs() - t0 < 980) {
        assert.equal(await c2.write(bytes('y')), 1);
        assert.equal(text(await readExactly(s2, 1)), 'y');
        await a.time.sleep(10);
      }
      await a.time.sleep(Math.max(0, 1000 - (h.nowMs() - t0)));
      await rejectsIo(c2.write(bytes('z')), 'ECONNRESET');
    });
    const times = h.faultsOf('RandomClose').map((f) => f.timeMs);
    assert.equal(times.length, 2);
    assert.ok((times[1] as number) - (times[0] as number) >= 1000);
  });

  it('happens at randomCloseProbability (2 %) per operation, explicit at randomCloseExplicitRatio', async () => {
    let ops = 0;
    let errors = 0;
    const h = await net({ config: closing(1, 0, 0.02) }, async (h, a, b) => {
      const listener = await b.network.bind(`${B}:${PORT}`);
      let [client] = await dial(a, listener);
      for (let i = 0; i < 2500; i++) {
        ops++;
        try {
          await client.write(bytes('x'));
        } catch (err) {
          ioCode(['ECONNRESET'])(err);
          errors++;
          [client] = await dial(a, listener);
        }
      }
    });
    assert.equal(h.faultsOf('RandomClose').length, errors);
    inRange(errors / ops, 0.01, 0.03, 'random close rate');
    // The explicit share, with every operation closing.
    const ratio = await net({ config: closing(0.3, 0) }, async (h, a, b) => {
      const listener = await b.network.bind(`${B}:${PORT}`);
      for (let i = 0; i < 400; i++) {
        const [client] = await dial(a, listener);
        await client.write(bytes('x')).catch(() => {});
      }
    });
    const explicit = ratio.faultsOf('RandomClose').filter((f) => f.event.explicit).length;
    assert.equal(ratio.faultsOf('RandomClose').length, 400);
    inRange(explicit / 400, 0.22, 0.38, 'explicit share');
  });

  it('never happens at probability 0, nor once chaos has ended', async () => {
    for (const end of [false, true]) {
      const h = await net({ config: end ? closing(1, 0, 1) : closing(1, 0, 0) }, async (h, a, b) => {
        const { client, server } = await pair(a, b);
        if (end) h.net.endChaos();
        for (let i = 0; i < 500; i++) {
          await client.writeAll(bytes('ping'));
          assert.equal(text(await readExactly(server, 4)), 'ping');
        }
      });
      assert.equal(h.faults.length, 0);
    }
  });
});
