// The configurations are derived from one field table each: these tests check the derivation
// (every entry reaches every preset, the draw and validation) and pin the seeded draws.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CHAOS_FIELDS, ChaosConfiguration } from '../../src/config/chaos-configuration.js';
import type { FieldTable } from '../../src/config/field-table.js';
import {
  NETWORK_FIELDS,
  NetworkConfiguration,
  networkConfiguration,
} from '../../src/config/network-configuration.js';
import {
  STORAGE_FIELDS,
  StorageConfiguration,
  storageConfiguration,
} from '../../src/config/storage-configuration.js';
import { SimRng } from '../../src/kernel/rng.js';

interface Derived {
  readonly name: string;
  readonly table: FieldTable;
  readonly defaults: () => object;
  readonly quiet: () => object;
  readonly random: (rng: SimRng) => object;
  readonly validate: (value: object) => object;
}

const CONFIGURATIONS: readonly Derived[] = [
  {
    name: 'chaos',
    table: CHAOS_FIELDS,
    defaults: ChaosConfiguration.default,
    quiet: ChaosConfiguration.disabled,
    random: ChaosConfiguration.randomForSeed,
    validate: (v) => ChaosConfiguration.validate(v as ChaosConfiguration),
  },
  {
    name: 'network',
    table: NETWORK_FIELDS,
    defaults: NetworkConfiguration.default,
    quiet: NetworkConfiguration.fastLocal,
    random: NetworkConfiguration.randomForSeed,
    validate: (v) => NetworkConfiguration.validate(v as NetworkConfiguration),
  },
  {
    name: 'storage',
    table: STORAGE_FIELDS,
    defaults: StorageConfiguration.default,
    quiet: StorageConfiguration.fastLocal,
    random: StorageConfiguration.randomForSeed,
    validate: (v) => StorageConfiguration.validate(v as StorageConfiguration),
  },
];

/** Fails every check: not a number, boolean, range, listed name or nested configuration. */
const BOGUS = 'bogus';

function throwsNaming(fn: () => unknown, field: string, message: string): void {
  assert.throws(fn, (e) => e instanceof RangeError && e.message.startsWith(`${field} `), message);
}

test('every table entry reaches default, the quiet preset and randomForSeed, in table order', () => {
  for (const c of CONFIGURATIONS) {
    const names = Object.keys(c.table);
    const presets = { default: c.defaults(), quiet: c.quiet(), random: c.random(new SimRng(3)) };
    for (const [preset, value] of Object.entries(presets)) {
      assert.deepEqual(Object.keys(value), names, `${c.name} ${preset}`);
      assert.ok(Object.isFrozen(value), `${c.name} ${preset} frozen`);
      assert.deepEqual(c.validate(value), value, `${c.name} ${preset} validates`);
    }
    for (const [name, spec] of Object.entries(c.table)) {
      const field = `${c.name}.${name}`;
      assert.deepEqual((presets.default as Record<string, unknown>)[name], spec.default, field);
      const quiet = spec.quiet === undefined ? spec.default : spec.quiet;
      assert.deepEqual((presets.quiet as Record<string, unknown>)[name], quiet, field);
    }
  }
});

test('validation rejects a bad value of each field, naming it (prefixed when nested)', () => {
  for (const c of CONFIGURATIONS) {
    for (const name of Object.keys(c.table)) {
      const bad = { ...c.defaults(), [name]: BOGUS };
      throwsNaming(() => c.validate(bad), name, `${c.name}.${name} bad`);
      const { [name]: _dropped, ...missing } = c.defaults() as Record<string, unknown>;
      throwsNaming(() => c.validate(missing), name, `${c.name}.${name} missing`);
    }
  }
  for (const name of Object.keys(CHAOS_FIELDS)) {
    throwsNaming(
      () => networkConfiguration({ chaos: { [name]: BOGUS } }),
      `chaos.${name}`,
      `nested chaos.${name}`,
    );
  }
  throwsNaming(() => storageConfiguration({ iops: BOGUS as never }), 'iops', 'builder');
});

// The draw order feeds every later draw of a run: these values were recorded before the
// configurations became tables, and must not change.
test('randomForSeed keeps its draws: pinned values and draw counts for seed 1', () => {
  const chaosRng = new SimRng(1);
  assert.deepEqual(ChaosConfiguration.randomForSeed(chaosRng), {
    clogProbability: 0.07893449934199454,
    clogDuration: { minMs: 132, maxMs: 159 },
    partitionProbability: 0.03730742329498753,
    partitionDuration: { minMs: 250, maxMs: 2936 },
    partitionStrategy: 'IsolateSingle',
    bitFlipProbability: 0.00012992081634234637,
    bitFlipMinBits: 1,
    bitFlipMaxBits: 32,
    bitFlipCooldownMs: 66,
    partialWriteMaxBytes: 1289,
    randomCloseProbability: 0.000041251321547664704,
    randomCloseCooldownMs: 7343,
    randomCloseExplicitRatio: 0.3670756711624563,
    clockDriftEnabled: true,
    clockDriftMaxMs: 141,
    buggifiedDelayEnabled: true,
    buggifiedDelayMaxMs: 88,
    buggifiedDelayProbability: 0.22698979545384645,
    connectFailureMode: 'Disabled',
    connectFailureProbability: 0.4236855270341039,
    latencyDistribution: 'Uniform',
    slowLatencyProbability: 0.0022349396273493765,
    slowLatencyMultiplier: 7.83057177439332,
    handshakeDelayEnabled: true,
    handshakeDelayMaxMs: 18,
  });
  assert.equal(chaosRng.calls, 22);

  const networkRng = new SimRng(1);
  const network = NetworkConfiguration.randomForSeed(networkRng);
  assert.deepEqual(
    { ...network, chaos: undefined },
    {
      bindLatency: { minMs: 0.054, maxMs: 0.149 },
      acceptLatency: { minMs: 0.721, maxMs: 5.238 },
      connectLatency: { minMs: 0.75, maxMs: 21.583 },
      readLatency: { minMs: 0.018, maxMs: 0.086 },
      writeLatency: { minMs: 0.149, maxMs: 0.863 },
      chaos: undefined,
    },
  );
  assert.equal(networkRng.calls, 32, 'ten latency draws, then the chaos draws');

  const storageRng = new SimRng(1);
  assert.deepEqual(StorageConfiguration.randomForSeed(storageRng), {
    iops: 45520,
    bandwidth: 199000000,
    readLatency: { minMs: 0.031, maxMs: 0.199 },
    writeLatency: { minMs: 0.075, maxMs: 0.979 },
    syncLatency: { minMs: 1.819, maxMs: 7.049 },
    readFaultProbability: 0.0006655370995867998,
    writeFaultProbability: 0.0006262387372553349,
    crashFaultProbability: 0.00020328950276598336,
    misdirectWriteProbability: 0.00007047862720210106,
    misdirectReadProbability: 0.00008353783558122815,
    phantomWriteProbability: 0.000182633524434641,
    syncFailureProbability: 0.00019299927714746447,
  });
  assert.equal(storageRng.calls, 15);
});
