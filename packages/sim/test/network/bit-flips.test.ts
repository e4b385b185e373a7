// Bit flips: deliveries corrupted at bitFlipProbability, by a power-law number of bits within
// [bitFlipMinBits, bitFlipMaxBits], spaced by bitFlipCooldownMs, each reported as a BitFlip event.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NetworkConfiguration } from '../../src/config/network-configuration.js';
import { hammingDistance, patternBytes } from '../support/bytes.js';
import type { NetHarness, NetMachine } from '../support/network-harness.js';
import { B, connId, inRange, measurable, net, pair, readExactly } from '../support/network-fault-helpers.js';

/** Sends `count` chunks of `size` bytes, one per delivery, and returns sent and received chunks. */
async function flipRun(
  h: NetHarness,
  a: NetMachine,
  b: NetMachine,
  count: number,
  size: number,
): Promise<{ sent: Uint8Array[]; got: Uint8Array[]; conn: number }> {
  const { client, server } = await pair(a, b);
  const sent: Uint8Array[] = [];
  const got: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const data = patternBytes(size, i + 100);
    sent.push(data.slice());
    await client.writeAll(data);
    got.push(await readExactly(server, size));
    assert.deepEqual(data, sent[i], 'the sender\'s buffer is never modified');
  }
  return { sent, got, conn: connId(client) };
}

describe('network faults: bit flips', () => {
  it('with probability 1 every delivery is corrupted by min..max flipped bits, each a BitFlip event', async () => {
    const h = await net(
      { config: measurable({ bitFlipProbability: 1, bitFlipMinBits: 2, bitFlipMaxBits: 6 }) },
      async (h, a, b) => {
        const { sent, got, conn } = await flipRun(h, a, b, 60, 8192);
        const flips = h.faultsOf('BitFlip');
        assert.equal(flips.length, 60);
        for (let i = 0; i < sent.length; i++) {
          const ev = (flips[i] as (typeof flips)[number]).event;
          assert.equal(ev.connection, conn);
          assert.equal(ev.to, B);
          inRange(ev.bits, 2, 6, 'BitFlip.bits');
          assert.notDeepEqual(got[i], sent[i]);
          assert.equal(hammingDistance(got[i] as Uint8Array, sent[i] as Uint8Array), ev.bits, `chunk ${i}`);
        }
      },
    );
    assert.ok(h.faults.every((f) => f.event.type === 'BitFlip'));
  });

  it('the number of bits follows a power law: few bits are the common case', async () => {
    const h = await net(
      { config: measurable({ bitFlipProbability: 1, bitFlipMinBits: 1, bitFlipMaxBits: 32 }) },
      async (h, a, b) => {
        await flipRun(h, a, b, 1000, 16);
      },
    );
    const bits = h.faultsOf('BitFlip').map((f) => f.event.bits);
    assert.equal(bits.length, 1000);
    assert.ok(bits.every((n) => n >= 1 && n <= 32));
    const share = (pred: (n: number) => boolean) => bits.filter(pred).length / bits.length;
    // Uniform in log space: P(1) = log 2 / log 32 = 0.2, P(<= 5) = log 6 / log 32 ~ 0.52.
    inRange(share((n) => n === 1), 0.14, 0.26, 'share of 1-bit flips');
    inRange(share((n) => n <= 5), 0.44, 0.6, 'share of <= 5-bit flips');
    inRange(share((n) => n >= 16), 0.14, 0.26, 'share of >= 16-bit flips');
  });

  it('happens at bitFlipProbability (30 %) of deliveries', async () => {
    const h = await net(
      { config: measurable({ bitFlipProbability: 0.3, bitFlipMinBits: 1, bitFlipMaxBits: 1 }) },
      async (h, a, b) => {
        const { sent, got } = await flipRun(h, a, b, 600, 64);
        const corrupted = got.filter((g, i) => hammingDistance(g, sent[i] as Uint8Array) !== 0).length;
        assert.equal(corrupted, h.faultsOf('BitFlip').length);
        inRange(corrupted / 600, 0.23, 0.37, 'bit flip rate');
      },
    );
    assert.ok(h.faultsOf('BitFlip').length > 0);
  });

  it('bitFlipCooldownMs spaces the flips', async () => {
    let flipped = 0;
    let elapsed = 0;
    const h = await net(
      { config: measurable({ bitFlipProbability: 1, bitFlipMinBits: 1, bitFlipMaxBits: 1, bitFlipCooldownMs: 20 }) },
      async (h, a, b) => {
        const { client, server } = await pair(a, b);
        const t0 = h.nowMs();
        for (let i = 0; i < 100; i++) {
          await client.writeAll(new Uint8Array(32));
          if (hammingDistance(await readExactly(server, 32), new Uint8Array(32)) !== 0) flipped++;
          await a.time.sleep(2);
        }
        elapsed = h.nowMs() - t0;
      },
    );
    const times = h.faultsOf('BitFlip').map((f) => f.timeMs);
    assert.equal(times.length, flipped);
    // One round trip takes 3.5–5 ms: with p = 1 the first delivery after each cooldown flips.
    inRange(times.length, Math.floor(elapsed / 25), Math.ceil(elapsed / 20) + 1, `flips in ${elapsed} ms`);
    for (let i = 1; i < times.length; i++) {
      inRange((times[i] as number) - (times[i - 1] as number), 20, 25, 'spacing of flips (ms)');
    }
  });

  it('probability 0 (and ChaosConfiguration.disabled()) is byte-exact', async () => {
    const configs = [
      measurable({ bitFlipProbability: 0, bitFlipMinBits: 5, bitFlipMaxBits: 9 }),
      NetworkConfiguration.fastLocal(),
    ];
    for (const config of configs) {
      const h = await net({ config }, async (h, a, b) => {
        const { sent, got } = await flipRun(h, a, b, 300, 256);
        assert.deepEqual(got, sent);
      });
      assert.equal(h.faults.length, 0);
    }
  });

  it('the reported bit count is the number of bits that differ, even in small chunks', async () => {
    await net(
      { config: measurable({ bitFlipProbability: 1, bitFlipMinBits: 4, bitFlipMaxBits: 4 }) },
      async (h, a, b) => {
        const { sent, got } = await flipRun(h, a, b, 50, 1);
        const flips = h.faultsOf('BitFlip');
        for (let i = 0; i < sent.length; i++) {
          const reported = (flips[i] as (typeof flips)[number]).event.bits;
          assert.equal(hammingDistance(got[i] as Uint8Array, sent[i] as Uint8Array), reported, `chunk ${i}`);
        }
      },
    );
  });
});
