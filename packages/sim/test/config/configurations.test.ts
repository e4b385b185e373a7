import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ChaosConfiguration,
  CONNECT_FAILURE_MODES,
  chaosConfiguration,
  type DurationRange,
  durationRange,
  LATENCY_DISTRIBUTIONS,
  NetworkConfiguration,
  networkConfiguration,
  PARTITION_STRATEGIES,
  StorageConfiguration,
  sampleDuration,
  storageConfiguration,
} from '../../src/index.js';
import { SimRng } from '../../src/kernel/rng.js';

const SEEDS = 500;
const range = (minMs: number, maxMs: number): DurationRange => ({ minMs, maxMs });

/** `value` in [lo, hi] (tolerant of float rounding in µs → ms conversions). */
function within(field: string, value: number, lo: number, hi: number): void {
  const eps = 1e-12;
  assert.ok(value >= lo - eps && value <= hi + eps, `${field} = ${value} outside [${lo}, ${hi}]`);
}

function rangeWithin(
  field: string,
  r: DurationRange,
  start: [number, number],
  end: [number, number],
) {
  within(`${field}.minMs`, r.minMs, start[0], start[1]);
  assert.ok(r.maxMs >= r.minMs, `${field} end below start`);
  // The end is either drawn from its range or raised to the start.
  if (r.maxMs !== r.minMs) within(`${field}.maxMs`, r.maxMs, end[0], end[1]);
}

test('chaos defaults keep their reference values', () => {
  assert.deepEqual(ChaosConfiguration.default(), {
    clogProbability: 0,
    clogDuration: range(100, 300),
    partitionProbability: 0,
    partitionDuration: range(200, 2000),
    partitionStrategy: 'Random',
    bitFlipProbability: 0.0001,
    bitFlipMinBits: 1,
    bitFlipMaxBits: 32,
    bitFlipCooldownMs: 0,
    partialWriteMaxBytes: 1000,
    randomCloseProbability: 0.00001,
    randomCloseCooldownMs: 5000,
    randomCloseExplicitRatio: 0.3,
    clockDriftEnabled: true,
    clockDriftMaxMs: 100,
    buggifiedDelayEnabled: true,
    buggifiedDelayMaxMs: 100,
    buggifiedDelayProbability: 0.25,
    connectFailureMode: 'Probabilistic',
    connectFailureProbability: 0.5,
    latencyDistribution: 'Uniform',
    slowLatencyProbability: 0.001,
    slowLatencyMultiplier: 10,
    handshakeDelayEnabled: true,
    handshakeDelayMaxMs: 10,
  });
});

test('chaos disabled turns every fault off', () => {
  const c = ChaosConfiguration.disabled();
  for (const [key, value] of Object.entries(c)) {
    if (key.endsWith('Probability')) assert.equal(value, 0, key);
    if (key.endsWith('Enabled')) assert.equal(value, false, key);
  }
  assert.equal(c.connectFailureMode, 'Disabled');
  assert.equal(c.latencyDistribution, 'Uniform');
  assert.equal(c.partialWriteMaxBytes, 0, 'short writes off');
  assert.doesNotThrow(() => ChaosConfiguration.validate(c));
});

test('network defaults keep their reference values', () => {
  assert.deepEqual(NetworkConfiguration.default(), {
    bindLatency: range(0.05, 0.15),
    acceptLatency: range(1, 6),
    connectLatency: range(1, 11),
    readLatency: range(0.01, 0.06),
    writeLatency: range(0.1, 0.6),
    chaos: ChaosConfiguration.default(),
  });
});

test('network fastLocal: 1–10 µs latencies, chaos disabled', () => {
  const n = NetworkConfiguration.fastLocal();
  for (const key of [
    'bindLatency',
    'acceptLatency',
    'connectLatency',
    'readLatency',
    'writeLatency',
  ] as const) {
    assert.deepEqual(n[key], range(0.001, 0.01), key);
  }
  assert.deepEqual(n.chaos, ChaosConfiguration.disabled());
});

test('storage defaults and fastLocal keep their reference values', () => {
  const noFaults = {
    readFaultProbability: 0,
    writeFaultProbability: 0,
    crashFaultProbability: 0,
    misdirectWriteProbability: 0,
    misdirectReadProbability: 0,
    phantomWriteProbability: 0,
    syncFailureProbability: 0,
  };
  assert.deepEqual(StorageConfiguration.default(), {
    iops: 25_000,
    bandwidth: 150_000_000,
    readLatency: range(0.05, 0.2),
    writeLatency: range(0.1, 0.5),
    syncLatency: range(1, 5),
    ...noFaults,
  });
  assert.deepEqual(StorageConfiguration.fastLocal(), {
    iops: 1_000_000,
    bandwidth: 1_000_000_000,
    readLatency: range(0.001, 0.001),
    writeLatency: range(0.001, 0.001),
    syncLatency: range(0.001, 0.001),
    ...noFaults,
  });
});

test('chaos randomForSeed stays within each field\'s range and covers every variant', () => {
  const seen = new Set<string>();
  for (let seed = 0; seed < SEEDS; seed++) {
    const c = ChaosConfiguration.randomForSeed(new SimRng(seed));
    assert.doesNotThrow(() => ChaosConfiguration.validate(c));
    within('clogProbability', c.clogProbability, 0, 0.2);
    rangeWithin('clogDuration', c.clogDuration, [50, 300], [100, 500]);
    within('partitionProbability', c.partitionProbability, 0, 0.15);
    rangeWithin('partitionDuration', c.partitionDuration, [100, 1000], [500, 3000]);
    within('bitFlipProbability', c.bitFlipProbability, 0.00001, 0.0002);
    assert.equal(c.bitFlipMinBits, 1);
    assert.equal(c.bitFlipMaxBits, 32);
    within('bitFlipCooldownMs', c.bitFlipCooldownMs, 0, 100);
    within('partialWriteMaxBytes', c.partialWriteMaxBytes, 100, 2000);
    within('randomCloseProbability', c.randomCloseProbability, 0.000001, 0.0001);
    within('randomCloseCooldownMs', c.randomCloseCooldownMs, 1000, 10000);
    within('randomCloseExplicitRatio', c.randomCloseExplicitRatio, 0.2, 0.4);
    assert.equal(c.clockDriftEnabled, true);
    within('clockDriftMaxMs', c.clockDriftMaxMs, 50, 150);
    assert.equal(c.buggifiedDelayEnabled, true);
    within('buggifiedDelayMaxMs', c.buggifiedDelayMaxMs, 50, 150);
    within('buggifiedDelayProbability', c.buggifiedDelayProbability, 0.2, 0.3);
    within('connectFailureProbability', c.connectFailureProbability, 0.4, 0.6);
    within('slowLatencyProbability', c.slowLatencyProbability, 0.001, 0.005);
    within('slowLatencyMultiplier', c.slowLatencyMultiplier, 5, 20);
    assert.equal(c.handshakeDelayEnabled, true);
    within('handshakeDelayMaxMs', c.handshakeDelayMaxMs, 5, 20);
    seen.add(c.partitionStrategy).add(c.connectFailureMode).add(c.latencyDistribution);
  }
  for (const v of [...PARTITION_STRATEGIES, ...CONNECT_FAILURE_MODES, ...LATENCY_DISTRIBUTIONS]) {
    assert.ok(seen.has(v), `variant ${v} never drawn`);
  }
});

test('network randomForSeed: latencies around the defaults, chaos from its column', () => {
  const base = NetworkConfiguration.default();
  for (let seed = 0; seed < SEEDS; seed++) {
    const rng = new SimRng(seed);
    const n = NetworkConfiguration.randomForSeed(rng);
    assert.doesNotThrow(() => NetworkConfiguration.validate(n));
    for (const key of [
      'bindLatency',
      'acceptLatency',
      'connectLatency',
      'readLatency',
      'writeLatency',
    ] as const) {
      const { minMs, maxMs } = base[key];
      rangeWithin(key, n[key], [minMs / 2, minMs * 2], [maxMs / 2, maxMs * 2]);
    }
    within('chaos.clogProbability', n.chaos.clogProbability, 0, 0.2);
  }
});

test('storage randomForSeed stays within each field\'s range', () => {
  for (let seed = 0; seed < SEEDS; seed++) {
    const s = StorageConfiguration.randomForSeed(new SimRng(seed));
    assert.doesNotThrow(() => StorageConfiguration.validate(s));
    within('iops', s.iops, 10_000, 100_000);
    within('bandwidth', s.bandwidth, 50_000_000, 500_000_000);
    rangeWithin('readLatency', s.readLatency, [0.02, 0.1], [0.1, 0.5]);
    rangeWithin('writeLatency', s.writeLatency, [0.05, 0.2], [0.2, 1]);
    rangeWithin('syncLatency', s.syncLatency, [0.5, 2], [2, 10]);
    within('readFaultProbability', s.readFaultProbability, 0, 0.001);
    within('writeFaultProbability', s.writeFaultProbability, 0, 0.001);
    within('crashFaultProbability', s.crashFaultProbability, 0, 0.0005);
    within('misdirectWriteProbability', s.misdirectWriteProbability, 0, 0.0001);
    within('misdirectReadProbability', s.misdirectReadProbability, 0, 0.0001);
    within('phantomWriteProbability', s.phantomWriteProbability, 0, 0.0002);
    within('syncFailureProbability', s.syncFailureProbability, 0, 0.0005);
  }
});

test('randomForSeed is deterministic per seed and differs across seeds', () => {
  const draw = (seed: number) => {
    const rng = new SimRng(seed);
    return {
      net: NetworkConfiguration.randomForSeed(rng),
      disk: StorageConfiguration.randomForSeed(rng),
    };
  };
  const distinct = new Set<string>();
  for (let seed = 0; seed < SEEDS; seed++) {
    const a = draw(seed);
    assert.deepEqual(draw(seed), a);
    distinct.add(JSON.stringify(a));
  }
  assert.equal(distinct.size, SEEDS);
});

test('validation errors name the field', () => {
  const cases: [() => unknown, RegExp][] = [
    [() => chaosConfiguration({ clogProbability: 1.5 }), /clogProbability/],
    [() => chaosConfiguration({ bitFlipProbability: Number.NaN }), /bitFlipProbability/],
    [() => chaosConfiguration({ randomCloseCooldownMs: -1 }), /randomCloseCooldownMs/],
    [() => chaosConfiguration({ clogDuration: range(-1, 5) }), /clogDuration\.minMs/],
    [() => chaosConfiguration({ partitionDuration: range(5, 1) }), /partitionDuration\.maxMs/],
    [() => chaosConfiguration({ bitFlipMinBits: 8, bitFlipMaxBits: 4 }), /bitFlipMinBits/],
    [() => chaosConfiguration({ bitFlipMinBits: 1.5 }), /bitFlipMinBits/],
    [() => chaosConfiguration({ partitionStrategy: 'Nope' as never }), /partitionStrategy/],
    [() => chaosConfiguration({ connectFailureMode: 'Sometimes' as never }), /connectFailureMode/],
    [() => chaosConfiguration({ latencyDistribution: 'Normal' as never }), /latencyDistribution/],
    [() => chaosConfiguration({ clockDriftEnabled: 'yes' as never }), /clockDriftEnabled/],
    [() => chaosConfiguration({ slowLatencyMultiplier: 0.5 }), /slowLatencyMultiplier/],
    [() => chaosConfiguration({ clogProb: 0.1 } as never), /clogProb is not a known field/],
    [() => networkConfiguration({ readLatency: range(2, 1) }), /readLatency/],
    [() => networkConfiguration({ chaos: { clogProbability: -0.1 } }), /chaos\.clogProbability/],
    [() => networkConfiguration({ chaos: { typo: 1 } as never }), /chaos\.typo/],
    [() => storageConfiguration({ iops: 0 }), /iops/],
    [() => storageConfiguration({ bandwidth: Number.POSITIVE_INFINITY }), /bandwidth/],
    [() => storageConfiguration({ phantomWriteProbability: 2 }), /phantomWriteProbability/],
    [() => storageConfiguration({ syncLatency: range(1, Number.NaN) }), /syncLatency\.maxMs/],
    [() => durationRange(3, 2, 'x'), /x\.maxMs/],
    [() => ChaosConfiguration.validate({ clogProbability: 0 } as never), /clogDuration/],
  ];
  for (const [fn, pattern] of cases)
    assert.throws(fn, (e) => e instanceof RangeError && pattern.test(e.message));
});

test('builders merge a partial over the defaults', () => {
  const c = chaosConfiguration({ clogProbability: 0.1, partitionStrategy: 'IsolateSingle' });
  assert.deepEqual(c, {
    ...ChaosConfiguration.default(),
    clogProbability: 0.1,
    partitionStrategy: 'IsolateSingle',
  });
  const n = networkConfiguration({ chaos: { clockDriftEnabled: false } });
  assert.deepEqual(n.chaos, { ...ChaosConfiguration.default(), clockDriftEnabled: false });
  assert.deepEqual(n.bindLatency, NetworkConfiguration.default().bindLatency);
  assert.deepEqual(storageConfiguration({ iops: 5, bandwidth: undefined }), {
    ...StorageConfiguration.default(),
    iops: 5,
  });
  assert.deepEqual(networkConfiguration(), NetworkConfiguration.default());
});

test('configurations survive structuredClone and still validate', () => {
  const rng = new SimRng(42);
  const values = [
    NetworkConfiguration.default(),
    NetworkConfiguration.fastLocal(),
    NetworkConfiguration.randomForSeed(rng),
    StorageConfiguration.default(),
    StorageConfiguration.fastLocal(),
    StorageConfiguration.randomForSeed(rng),
  ];
  for (const v of values) assert.deepEqual(structuredClone(v), v);
  assert.deepEqual(
    NetworkConfiguration.validate(structuredClone(values[2] as NetworkConfiguration)),
    values[2],
  );
  assert.deepEqual(
    StorageConfiguration.validate(structuredClone(values[5] as StorageConfiguration)),
    values[5],
  );
});

test('sampleDuration draws uniformly from [min, max), min for a point range', () => {
  const rng = new SimRng(7);
  const r = durationRange(0.05, 0.15);
  let sum = 0;
  for (let i = 0; i < 2000; i++) {
    const v = sampleDuration(r, rng);
    assert.ok(v >= 0.05 && v < 0.15, `${v}`);
    sum += v;
  }
  within('mean', sum / 2000, 0.095, 0.105);
  const before = rng.calls;
  assert.equal(sampleDuration(durationRange(3, 3), rng), 3);
  assert.equal(rng.calls, before + 1, 'a point range still costs one draw');
});
