// Clogging: a clogged direction holds its deliveries (and blocks its writers) for clogDuration,
// at clogProbability of writes, without touching the bytes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { durationRange } from '../../src/config/duration-range.js';
import { bytes, patternBytes, text } from '../support/bytes.js';
import { quietNetwork } from '../support/network-harness.js';
import { inRange, net, pair, readExactly } from '../support/network-fault-helpers.js';

describe('network faults: clogging', () => {
  it('with probability 1: delivery waits at least clogDuration.minMs, writers wait, data intact', async () => {
    const config = quietNetwork({ clogProbability: 1, clogDuration: durationRange(50, 60) });
    await net({ config }, async (h, a, b) => {
      const { client, server } = await pair(a, b);
      const t0 = h.nowMs();
      await client.write(bytes('first'));
      assert.ok(h.nowMs() - t0 < 1, 'the write that clogs the pipe itself returns at once');
      const reading = readExactly(server, 5).then((d) => ({ d, at: h.nowMs() }));
      // The next write finds the direction clogged and waits for it to clear (backpressure).
      await client.write(bytes('second'));
      inRange(h.nowMs() - t0, 50, 61, 'second write waited for the clog (ms)');
      const first = await reading;
      assert.equal(text(first.d), 'first');
      inRange(first.at - t0, 50, 61, 'first delivery delayed by the clog (ms)');
      // Many writes: each one clogs again, so they take >= 50 ms apiece; the bytes stay exact.
      const data = patternBytes(10 * 700, 3);
      const received = readExactly(server, 6 + data.length);
      const t1 = h.nowMs();
      for (let i = 0; i < 10; i++) await client.writeAll(data.subarray(i * 700, (i + 1) * 700));
      assert.ok(h.nowMs() - t1 >= 10 * 50 - 60, `10 clogged writes took only ${h.nowMs() - t1} ms`);
      const got = await received;
      assert.equal(text(got.subarray(0, 6)), 'second');
      assert.deepEqual(got.subarray(6), data);
    });
  });

  it('happens at clogProbability (30 %) of writes; never at probability 0', async () => {
    for (const p of [0.3, 0]) {
      const config = quietNetwork({ clogProbability: p, clogDuration: durationRange(20, 30) });
      await net({ config }, async (h, a, b) => {
        const { client, server } = await pair(a, b);
        let clogged = 0;
        const n = 300;
        for (let i = 0; i < n; i++) {
          const t = h.nowMs();
          await client.write(bytes('x'));
          await readExactly(server, 1);
          const delay = h.nowMs() - t;
          if (delay >= 20) clogged++;
          else assert.ok(delay < 1, `an unclogged delivery took ${delay} ms`);
          await a.time.sleep(40); // let any clog clear before the next sample
        }
        if (p === 0) assert.equal(clogged, 0);
        else inRange(clogged / n, 0.2, 0.4, 'clog rate');
      });
    }
  });
});
