// With ChaosConfiguration.disabled() a busy exchange sees no fault at all, even with buggify firing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChaosConfiguration } from '../../src/config/chaos-configuration.js';
import { NetworkConfiguration } from '../../src/config/network-configuration.js';
import { patternBytes } from '../support/bytes.js';
import { B, dial, inRange, net, PORT, readToEnd } from '../support/network-fault-helpers.js';

describe('network faults: ChaosConfiguration.disabled()', () => {
  it('a busy exchange with buggify always firing sees no fault, no short write, no delay', async () => {
    const config = NetworkConfiguration.validate({
      ...NetworkConfiguration.default(),
      chaos: ChaosConfiguration.disabled(),
    });
    const h = await net({ config, buggify: 'always' }, async (h, a, b, c) => {
      const listener = await b.network.bind(`${B}:${PORT}`);
      for (const m of [a, c, a, c]) {
        const t0 = h.nowMs();
        const [client, server] = await dial(m, listener);
        inRange(h.nowMs() - t0, 1, 17, 'connect + accept within the default latencies (ms)');
        const data = patternBytes(20_000, 5);
        const received = readToEnd(server);
        for (let i = 0; i < 20; i++) assert.equal(await client.write(data.subarray(i * 1000, (i + 1) * 1000)), 1000);
        await client.close();
        assert.deepEqual(await received, data);
      }
    });
    assert.equal(h.faults.length, 0);
    assert.deepEqual(h.buggifyCalls, []);
  });
});
