// Connect failures: refused or hanging connects to a live listener, as connectFailureMode and
// connectFailureProbability say; none when disabled or once chaos has ended.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChaosConfiguration } from '../../src/config/chaos-configuration.js';
import { durationRange } from '../../src/config/duration-range.js';
import { NetworkConfiguration } from '../../src/config/network-configuration.js';
import { type NetHarness, type NetMachine, quietNetwork } from '../support/network-harness.js';
import { B, inRange, net, outcome, PORT } from '../support/network-fault-helpers.js';

describe('network faults: connect failures', () => {
  const failing = (mode: ChaosConfiguration['connectFailureMode'], p = 0.5): NetworkConfiguration =>
    quietNetwork({ connectFailureMode: mode, connectFailureProbability: p }, { connectLatency: durationRange(1, 2) });

  /** Outcomes of `n` connects to a live listener on B, each given 5 s. */
  async function connects(h: NetHarness, a: NetMachine, b: NetMachine, n: number): Promise<string[]> {
    const listener = await b.network.bind(`${B}:${PORT}`);
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = h.nowMs();
      const conn = a.network.connect(listener.localAddr());
      const result = await outcome(a, 5000, conn);
      if (result === 'ECONNREFUSED') assert.ok(h.nowMs() - t0 >= 1, 'refused after the connect latency');
      if (result === 'ok') {
        const [[s], c] = await Promise.all([listener.accept(), conn]);
        c.abort();
        s.abort();
      }
      out.push(result);
    }
    return out;
  }

  it('AlwaysFail with buggify firing: every connect is refused (the listener is there)', async () => {
    const h = await net({ config: failing('AlwaysFail'), buggify: 'always' }, async (h, a, b) => {
      assert.deepEqual(new Set(await connects(h, a, b, 30)), new Set(['ECONNREFUSED']));
    });
    assert.ok(h.buggifyCalls.includes('network.connect_failure'));
  });

  it('AlwaysFail refuses at the buggify firing rate (25 %)', async () => {
    await net({ config: failing('AlwaysFail'), buggify: { activation: 1, firing: 0.25 } }, async (h, a, b) => {
      const results = await connects(h, a, b, 300);
      const refused = results.filter((r) => r === 'ECONNREFUSED').length;
      assert.equal(refused + results.filter((r) => r === 'ok').length, 300);
      inRange(refused / 300, 0.16, 0.34, 'refusal rate');
    });
  });

  it('Probabilistic: failed connects are either refused or hang (detected by a timeout)', async () => {
    await net({ config: failing('Probabilistic', 0.5), buggify: 'always' }, async (h, a, b) => {
      const results = await connects(h, a, b, 80);
      const refused = results.filter((r) => r === 'ECONNREFUSED').length;
      const hung = results.filter((r) => r === 'timeout').length;
      assert.equal(refused + hung, 80, `unexpected outcomes: ${results.join(',')}`);
      inRange(refused / 80, 0.3, 0.7, 'refused share');
    });
    for (const [p, expected] of [[1, 'ECONNREFUSED'], [0, 'timeout']] as const) {
      await net({ config: failing('Probabilistic', p), buggify: 'always' }, async (h, a, b) => {
        assert.deepEqual(new Set(await connects(h, a, b, 10)), new Set([expected]));
      });
    }
  });

  it('Disabled (and ChaosConfiguration.disabled(), and after chaos ends): connects always succeed', async () => {
    for (const config of [failing('Disabled', 1), NetworkConfiguration.fastLocal()]) {
      const h = await net({ config, buggify: 'always' }, async (h, a, b) => {
        assert.deepEqual(new Set(await connects(h, a, b, 30)), new Set(['ok']));
      });
      assert.ok(!h.buggifyCalls.includes('network.connect_failure'));
    }
    await net({ config: failing('AlwaysFail'), buggify: 'always' }, async (h, a, b) => {
      h.net.endChaos();
      assert.deepEqual(new Set(await connects(h, a, b, 30)), new Set(['ok']));
    });
  });
});
