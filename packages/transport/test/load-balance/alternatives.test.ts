// Alternatives (sorted by distance, countBest, what they accept) and LoadBalanceConfig (defaults,
// validation), without a network: nothing here sends.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Endpoint, NetworkAddress, NodeProviders, UID } from '@moonpool/core';
import {
  Alternatives,
  AtMostOnce,
  defineService,
  Distance,
  distanceName,
  jsonCodec,
  LoadBalanceConfig,
  method,
  NetTransport,
  ServiceEndpoint,
  serviceClient,
} from '../../src/index.js';

const transport = NetTransport.builder(new NodeProviders()).build();
const other = NetTransport.builder(new NodeProviders()).build();
after(async () => {
  await transport.close();
  await other.close();
});

const TOKEN = new UID(0xadd0n, 1n);
const endpointAt = (ip: string, on = transport): ServiceEndpoint<number, number> =>
  new ServiceEndpoint(on, new Endpoint(new NetworkAddress(ip, 4500), TOKEN), jsonCodec);

describe('Distance and AtMostOnce', () => {
  it('orders SameMachine < SameDc < Remote, and AtMostOnce is the booleans', () => {
    assert.ok(Distance.SameMachine < Distance.SameDc && Distance.SameDc < Distance.Remote);
    assert.deepEqual([0, 1, 2].map((d) => distanceName(d as Distance)), ['SameMachine', 'SameDc', 'Remote']);
    assert.equal(AtMostOnce.True, true);
    assert.equal(AtMostOnce.False, false);
    assert.ok(Object.isFrozen(Distance) && Object.isFrozen(AtMostOnce));
  });
});

describe('Alternatives', () => {
  it('sorts closest first, keeps the given order within a distance, and counts the closest tier', () => {
    const given = [
      { ip: '10.0.0.2', distance: Distance.Remote },
      { ip: '10.0.0.3', distance: Distance.SameDc },
      { ip: '10.0.0.4', distance: Distance.Remote },
      { ip: '10.0.0.5', distance: Distance.SameDc },
      { ip: '10.0.0.6', distance: Distance.SameDc },
    ];
    const alternatives = Alternatives.of(given.map(({ ip, distance }) => ({ target: endpointAt(ip), distance })));
    const order = [...alternatives].map((a) => (a.target as ServiceEndpoint<number, number>).endpoint.address.ip);
    assert.deepEqual(order, ['10.0.0.3', '10.0.0.5', '10.0.0.6', '10.0.0.2', '10.0.0.4']);
    assert.deepEqual([...alternatives].map((a) => a.distance), [1, 1, 1, 2, 2]);
    assert.equal(alternatives.size, 5);
    assert.equal(alternatives.countBest, 3);
    assert.equal(alternatives.distance(3), Distance.Remote);
    assert.equal(alternatives.endpoint(0).address.ip, '10.0.0.3');
    assert.equal(alternatives.transport, transport);
    assert.match(alternatives.toString(), /^Alternatives \[10\.0\.0\.3:4500\/\w+ \(SameDc\), /);
    assert.throws(() => alternatives.target(5), /no alternative 5: there are 5/);
    assert.ok(Object.isFrozen(alternatives));
  });

  it('one alternative in the closest tier: countBest 1; none: size 0, countBest 0', () => {
    const one = Alternatives.of([
      { target: endpointAt('10.0.0.2'), distance: Distance.Remote },
      { target: endpointAt('10.0.0.3'), distance: Distance.SameMachine },
    ]);
    assert.equal(one.countBest, 1);
    assert.equal(one.endpoint(0).address.ip, '10.0.0.3');
    const none = Alternatives.of<number, number>([]);
    assert.equal(none.size, 0);
    assert.equal(none.countBest, 0);
    assert.equal(none.transport, null);
  });

  it('takes typed method clients: their endpoint is the method\'s, on the client\'s transport', () => {
    const Kv = defineService({ id: 0x4b56n, methods: { get: method<{ key: string }, { value: string | null }>() } });
    const alternatives = Alternatives.of(
      ['10.0.0.2', '10.0.0.3'].map((ip, i) => ({
        target: serviceClient(transport, Kv, `${ip}:4500`).get,
        distance: i === 0 ? Distance.Remote : Distance.SameDc,
      })),
    );
    assert.equal(alternatives.endpoint(0).address.ip, '10.0.0.3');
    assert.equal(alternatives.endpoint(0).token.first, 0x4b56n);
    assert.equal(alternatives.endpoint(0).token.second, 1n);
  });

  it('refuses targets that are neither endpoints nor method clients, unknown distances, and mixed transports', () => {
    assert.throws(
      () => Alternatives.of([{ target: { getReply: () => Promise.resolve(1) } as never, distance: Distance.SameDc }]),
      /alternative 0: the target must be a ServiceEndpoint or a MethodClient .*got an object \(Object\)/,
    );
    assert.throws(
      () =>
        Alternatives.of([
          { target: endpointAt('10.0.0.2'), distance: Distance.SameDc },
          { target: endpointAt('10.0.0.3'), distance: 3 as Distance },
        ]),
      /alternative 1: distance must be Distance.SameMachine, SameDc or Remote, got 3/,
    );
    assert.throws(
      () => Alternatives.of([{ target: endpointAt('10.0.0.2'), distance: 'Remote' as never }]),
      /got Remote/,
    );
    assert.throws(
      () =>
        Alternatives.of([
          { target: endpointAt('10.0.0.2'), distance: Distance.SameDc },
          { target: endpointAt('10.0.0.3', other), distance: Distance.SameDc },
        ]),
      /alternative 1 sends through another transport than alternative 0/,
    );
  });
});

describe('LoadBalanceConfig', () => {
  it('defaults to 50 ms, x2, at most 1 s, 2 full cycles; overrides replace single fields', () => {
    assert.deepEqual(LoadBalanceConfig.default(), {
      initialBackoffMs: 50,
      backoffMultiplier: 2,
      maxBackoffMs: 1000,
      maxFullCycles: 2,
    });
    const config = LoadBalanceConfig.default({ maxFullCycles: 5 });
    assert.equal(config.maxFullCycles, 5);
    assert.equal(config.initialBackoffMs, 50);
    assert.ok(Object.isFrozen(config));
  });

  it('refuses each bad field with a RangeError naming it and the value', () => {
    const cases: [Partial<LoadBalanceConfig>, RegExp][] = [
      [{ initialBackoffMs: -1 }, /LoadBalanceConfig\.initialBackoffMs must be a number of ms >= 0, got -1/],
      [{ maxBackoffMs: Number.NaN }, /LoadBalanceConfig\.maxBackoffMs must be a number of ms >= 0, got NaN/],
      [{ initialBackoffMs: 200, maxBackoffMs: 100 }, /maxBackoffMs \(100 ms\) must be >= initialBackoffMs \(200 ms\)/],
      [{ backoffMultiplier: 0.5 }, /LoadBalanceConfig\.backoffMultiplier must be a finite number >= 1, got 0\.5/],
      [{ backoffMultiplier: Number.POSITIVE_INFINITY }, /backoffMultiplier .* got Infinity/],
      [{ maxFullCycles: 0 }, /LoadBalanceConfig\.maxFullCycles must be an integer >= 1, got 0/],
      [{ maxFullCycles: 1.5 }, /maxFullCycles must be an integer >= 1, got 1\.5/],
      [{ maxFullCycles: '2' as never }, /maxFullCycles must be an integer >= 1, got 2/],
    ];
    for (const [overrides, message] of cases) {
      assert.throws(() => LoadBalanceConfig.default(overrides), (err: unknown) => {
        assert.ok(err instanceof RangeError, `${String(err)} for ${JSON.stringify(overrides)}`);
        assert.match(err.message, message);
        return true;
      });
    }
    assert.throws(() => LoadBalanceConfig.validate(null as never), /a LoadBalanceConfig must be an object, got null/);
  });
});
