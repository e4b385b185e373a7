// PeerConfig and MonitorConfig: the presets of SPEC §6.3 exactly, overrides, and clear refusals.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MonitorConfig, PeerConfig } from '../../src/index.js';

describe('PeerConfig', () => {
  it('presets: initial delay, max delay, queue, connect timeout, max failures', () => {
    const row = (c: PeerConfig) => [
      c.initialReconnectDelay,
      c.maxReconnectDelay,
      c.maxQueueSize,
      c.connectionTimeout,
      c.maxConnectionFailures,
    ];
    assert.deepEqual(row(PeerConfig.default()), [100, 30_000, 1000, 5000, null]);
    assert.deepEqual(row(PeerConfig.localNetwork()), [10, 1000, 100, 500, 10]);
    assert.deepEqual(row(PeerConfig.wanNetwork()), [500, 60_000, 5000, 30_000, null]);
    for (const preset of [PeerConfig.default(), PeerConfig.localNetwork(), PeerConfig.wanNetwork()]) {
      assert.deepEqual(preset.monitor, MonitorConfig.default(), 'the monitor defaults to MonitorConfig.default()');
    }
  });

  it('overrides keep the rest of the preset; the result is frozen', () => {
    const c = PeerConfig.localNetwork({ maxQueueSize: 7, monitor: null });
    assert.equal(c.maxQueueSize, 7);
    assert.equal(c.monitor, null);
    assert.equal(c.initialReconnectDelay, 10);
    assert.ok(Object.isFrozen(c));
  });

  it('refuses bad values, naming the field', () => {
    assert.throws(() => PeerConfig.default({ maxQueueSize: 0 }), /PeerConfig\.maxQueueSize must be an integer >= 1, got 0/);
    assert.throws(() => PeerConfig.default({ connectionTimeout: 0 }), /PeerConfig\.connectionTimeout must be a number of ms > 0/);
    assert.throws(() => PeerConfig.default({ initialReconnectDelay: -1 }), /initialReconnectDelay/);
    assert.throws(() => PeerConfig.default({ maxConnectionFailures: 0 }), /maxConnectionFailures/);
    assert.throws(
      () => PeerConfig.default({ initialReconnectDelay: 500, maxReconnectDelay: 100 }),
      /maxReconnectDelay \(100 ms\) must be >= initialReconnectDelay \(500 ms\)/,
    );
    assert.throws(() => PeerConfig.validate({ ...PeerConfig.default(), maxQueueSize: Number.NaN }), /maxQueueSize/);
  });
});

describe('MonitorConfig', () => {
  it('presets: ping interval, ping timeout, tolerated timeouts', () => {
    const row = (c: MonitorConfig) => [c.pingInterval, c.pingTimeout, c.maxToleratedTimeouts];
    assert.deepEqual(row(MonitorConfig.default()), [1000, 2000, 3]);
    assert.deepEqual(row(MonitorConfig.localNetwork()), [500, 1000, 2]);
    assert.deepEqual(row(MonitorConfig.wanNetwork()), [5000, 10_000, 5]);
  });

  it('refuses bad values', () => {
    assert.throws(() => MonitorConfig.default({ pingInterval: 0 }), /MonitorConfig\.pingInterval/);
    assert.throws(() => MonitorConfig.default({ maxToleratedTimeouts: 1.5 }), /maxToleratedTimeouts/);
  });
});
