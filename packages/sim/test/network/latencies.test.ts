// Latencies: connect, accept and data delays within their configured ranges, the handshake delay,
// and the Bimodal distribution's slow operations.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { durationRange } from '../../src/config/duration-range.js';
import type { NetworkConfiguration } from '../../src/config/network-configuration.js';
import { bytes } from '../support/bytes.js';
import { quietNetwork } from '../support/network-harness.js';
import { B, inRange, net, pair, PORT, readExactly } from '../support/network-fault-helpers.js';

describe('network faults: latencies', () => {
  /** Connect and accept durations of `n` connections. */
  async function connectTimes(
    config: NetworkConfiguration,
    n: number,
  ): Promise<Array<{ connect: number; accept: number }>> {
    const out: Array<{ connect: number; accept: number }> = [];
    await net({ config }, async (h, a, b) => {
      const listener = await b.network.bind(`${B}:${PORT}`);
      for (let i = 0; i < n; i++) {
        const t0 = h.nowMs();
        const accepted = listener.accept().then(([s]) => ({ s, at: h.nowMs() }));
        const c = await a.network.connect(listener.localAddr());
        const connect = h.nowMs() - t0;
        const { s, at } = await accepted;
        out.push({ connect, accept: at - t0 - connect });
        c.abort();
        s.abort();
      }
    });
    return out;
  }

  it('connect completes within connectLatency; the server accepts acceptLatency later', async () => {
    const times = await connectTimes(
      quietNetwork({}, { connectLatency: durationRange(5, 10), acceptLatency: durationRange(2, 3) }),
      100,
    );
    for (const t of times) {
      inRange(t.connect, 5, 10, 'connect (ms)');
      inRange(t.accept, 2, 3, 'accept after connect (ms)');
    }
    assert.ok(Math.max(...times.map((t) => t.connect)) - Math.min(...times.map((t) => t.connect)) > 3, 'latency varies');
  });

  it('handshake delay adds up to handshakeDelayMaxMs', async () => {
    const times = await connectTimes(
      quietNetwork({ handshakeDelayEnabled: true, handshakeDelayMaxMs: 20 }, { connectLatency: durationRange(5, 10) }),
      100,
    );
    for (const t of times) inRange(t.connect, 5, 30, 'connect with handshake (ms)');
    assert.ok(times.filter((t) => t.connect > 10).length > 30, 'the handshake delay shows');
  });

  it('Bimodal with slowLatencyProbability 1 multiplies every latency by slowLatencyMultiplier', async () => {
    const slow = { latencyDistribution: 'Bimodal', slowLatencyProbability: 1, slowLatencyMultiplier: 10 } as const;
    const lat = {
      connectLatency: durationRange(5, 10),
      writeLatency: durationRange(1, 2),
      readLatency: durationRange(0.5, 1),
    };
    for (const t of await connectTimes(quietNetwork(slow, lat), 50)) inRange(t.connect, 50, 100, 'slow connect (ms)');
    // Uniform ignores the slow-latency knobs.
    for (const t of await connectTimes(quietNetwork({ ...slow, latencyDistribution: 'Uniform' }, lat), 50)) {
      inRange(t.connect, 5, 10, 'uniform connect (ms)');
    }
    // Data: write + read latency, each multiplied: [15, 30] ms.
    await net({ config: quietNetwork(slow, lat) }, async (h, a, b) => {
      const { client, server } = await pair(a, b);
      for (let i = 0; i < 50; i++) {
        const t0 = h.nowMs();
        await client.writeAll(bytes('d'));
        await readExactly(server, 1);
        inRange(h.nowMs() - t0, 15, 30, 'slow delivery (ms)');
        await a.time.sleep(50);
      }
    });
  });

  it('Bimodal slow operations happen at slowLatencyProbability (30 %)', async () => {
    const times = await connectTimes(
      quietNetwork(
        { latencyDistribution: 'Bimodal', slowLatencyProbability: 0.3, slowLatencyMultiplier: 10 },
        { connectLatency: durationRange(5, 10) },
      ),
      300,
    );
    const slow = times.filter((t) => t.connect >= 50).length;
    assert.equal(slow + times.filter((t) => t.connect <= 10).length, 300);
    inRange(slow / 300, 0.2, 0.4, 'slow share');
  });
});
