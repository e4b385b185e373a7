import type { SimRng } from '../kernel/rng.js';
import {
  checkAtLeast,
  checkBoolean,
  checkDurationRange,
  checkInteger,
  checkKnownFields,
  checkNonNegative,
  checkOneOf,
  checkProbability,
  type DurationRange,
  durationRange,
  mergeOver,
  pickOne,
} from './duration-range.js';

/** `Random`: random IP pairs; `UniformSize`: a group of 1..n−1 nodes cut off; `IsolateSingle`: one node. */
export const PARTITION_STRATEGIES = Object.freeze([
  'Random',
  'UniformSize',
  'IsolateSingle',
] as const);
export type PartitionStrategy = (typeof PARTITION_STRATEGIES)[number];

/** `Probabilistic`: of failed connects, half are refused and half hang forever. */
export const CONNECT_FAILURE_MODES = Object.freeze([
  'Disabled',
  'AlwaysFail',
  'Probabilistic',
] as const);
export type ConnectFailureMode = (typeof CONNECT_FAILURE_MODES)[number];

/** `Bimodal`: most operations take normal latency, a few are multiplied (tail latency). */
export const LATENCY_DISTRIBUTIONS = Object.freeze(['Uniform', 'Bimodal'] as const);
export type LatencyDistribution = (typeof LATENCY_DISTRIBUTIONS)[number];

/** Every network fault-injection setting (SPEC §4.5). Durations are in milliseconds. */
export interface ChaosConfiguration {
  /** Chance a write stalls delivery on its connection for `clogDuration`. */
  readonly clogProbability: number;
  readonly clogDuration: DurationRange;
  /** Chance of an automatic partition lasting `partitionDuration`. */
  readonly partitionProbability: number;
  readonly partitionDuration: DurationRange;
  readonly partitionStrategy: PartitionStrategy;
  /** Chance delivered data has bits flipped; the count follows a power law in [min, max]. */
  readonly bitFlipProbability: number;
  readonly bitFlipMinBits: number;
  readonly bitFlipMaxBits: number;
  readonly bitFlipCooldownMs: number;
  /** A (buggified) write may be truncated to 0..max bytes; 0 turns short writes off. */
  readonly partialWriteMaxBytes: number;
  /** Spontaneous close per I/O operation; `explicitRatio` of them surface as errors. */
  readonly randomCloseProbability: number;
  readonly randomCloseCooldownMs: number;
  readonly randomCloseExplicitRatio: number;
  /** A process's `timer()` may run ahead of `now()` by up to the max. */
  readonly clockDriftEnabled: boolean;
  readonly clockDriftMaxMs: number;
  /** Extra delay added to sleeps/timers with the given probability. */
  readonly buggifiedDelayEnabled: boolean;
  readonly buggifiedDelayMaxMs: number;
  readonly buggifiedDelayProbability: number;
  readonly connectFailureMode: ConnectFailureMode;
  readonly connectFailureProbability: number;
  readonly latencyDistribution: LatencyDistribution;
  readonly slowLatencyProbability: number;
  readonly slowLatencyMultiplier: number;
  /** Extra delay on connection establishment. */
  readonly handshakeDelayEnabled: boolean;
  readonly handshakeDelayMaxMs: number;
}

function defaults(): ChaosConfiguration {
  return Object.freeze({
    clogProbability: 0,
    clogDuration: durationRange(100, 300),
    partitionProbability: 0,
    partitionDuration: durationRange(200, 2000),
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
}

/** Checks every field (names prefixed with `prefix`, e.g. `chaos.`) and returns a frozen copy. */
function validate(value: ChaosConfiguration, prefix = ''): ChaosConfiguration {
  checkKnownFields(defaults(), value, prefix);
  // Read as unknown: the value may come from plain JavaScript or another thread.
  const c = value as unknown as Record<keyof ChaosConfiguration, unknown>;
  const f = (name: string) => `${prefix}${name}`;
  const out: ChaosConfiguration = {
    clogProbability: checkProbability(f('clogProbability'), c.clogProbability),
    clogDuration: checkDurationRange(f('clogDuration'), c.clogDuration),
    partitionProbability: checkProbability(f('partitionProbability'), c.partitionProbability),
    partitionDuration: checkDurationRange(f('partitionDuration'), c.partitionDuration),
    partitionStrategy: checkOneOf(
      f('partitionStrategy'),
      c.partitionStrategy,
      PARTITION_STRATEGIES,
    ),
    bitFlipProbability: checkProbability(f('bitFlipProbability'), c.bitFlipProbability),
    bitFlipMinBits: checkInteger(f('bitFlipMinBits'), c.bitFlipMinBits, 1),
    bitFlipMaxBits: checkInteger(f('bitFlipMaxBits'), c.bitFlipMaxBits, 1),
    bitFlipCooldownMs: checkNonNegative(f('bitFlipCooldownMs'), c.bitFlipCooldownMs),
    partialWriteMaxBytes: checkInteger(f('partialWriteMaxBytes'), c.partialWriteMaxBytes, 0),
    randomCloseProbability: checkProbability(f('randomCloseProbability'), c.randomCloseProbability),
    randomCloseCooldownMs: checkNonNegative(f('randomCloseCooldownMs'), c.randomCloseCooldownMs),
    randomCloseExplicitRatio: checkProbability(
      f('randomCloseExplicitRatio'),
      c.randomCloseExplicitRatio,
    ),
    clockDriftEnabled: checkBoolean(f('clockDriftEnabled'), c.clockDriftEnabled),
    clockDriftMaxMs: checkNonNegative(f('clockDriftMaxMs'), c.clockDriftMaxMs),
    buggifiedDelayEnabled: checkBoolean(f('buggifiedDelayEnabled'), c.buggifiedDelayEnabled),
    buggifiedDelayMaxMs: checkNonNegative(f('buggifiedDelayMaxMs'), c.buggifiedDelayMaxMs),
    buggifiedDelayProbability: checkProbability(
      f('buggifiedDelayProbability'),
      c.buggifiedDelayProbability,
    ),
    connectFailureMode: checkOneOf(
      f('connectFailureMode'),
      c.connectFailureMode,
      CONNECT_FAILURE_MODES,
    ),
    connectFailureProbability: checkProbability(
      f('connectFailureProbability'),
      c.connectFailureProbability,
    ),
    latencyDistribution: checkOneOf(
      f('latencyDistribution'),
      c.latencyDistribution,
      LATENCY_DISTRIBUTIONS,
    ),
    slowLatencyProbability: checkProbability(f('slowLatencyProbability'), c.slowLatencyProbability),
    // Below 1 the "slow" tail would be faster than normal.
    slowLatencyMultiplier: checkAtLeast(f('slowLatencyMultiplier'), c.slowLatencyMultiplier, 1),
    handshakeDelayEnabled: checkBoolean(f('handshakeDelayEnabled'), c.handshakeDelayEnabled),
    handshakeDelayMaxMs: checkNonNegative(f('handshakeDelayMaxMs'), c.handshakeDelayMaxMs),
  };
  if (out.bitFlipMinBits > out.bitFlipMaxBits) {
    const { bitFlipMinBits: min, bitFlipMaxBits: max } = out;
    throw new RangeError(
      `${f('bitFlipMinBits')} (${min}) must be <= ${f('bitFlipMaxBits')} (${max})`,
    );
  }
  return Object.freeze(out);
}

/** Start and end drawn separately (integer ms, half-open), the end raised to the start if below it. */
function randomRange(rng: SimRng, start: [number, number], end: [number, number]): DurationRange {
  const min = rng.range(start[0], start[1]);
  return durationRange(min, Math.max(min, rng.range(end[0], end[1])));
}

/** Presets and validation; call sites read `ChaosConfiguration.default()` etc. */
export const ChaosConfiguration = Object.freeze({
  /** The seed's defaults: chaos on, no clogs or automatic partitions. */
  default: defaults,

  /**
   * All chaos off. `partialWriteMaxBytes` 0 turns short writes off; `randomCloseExplicitRatio` keeps
   * its default: it only shapes a fault that no longer happens.
   */
  disabled(): ChaosConfiguration {
    return Object.freeze({
      ...defaults(),
      bitFlipProbability: 0,
      partialWriteMaxBytes: 0,
      randomCloseProbability: 0,
      clockDriftEnabled: false,
      buggifiedDelayEnabled: false,
      buggifiedDelayProbability: 0,
      connectFailureMode: 'Disabled',
      connectFailureProbability: 0,
      slowLatencyProbability: 0,
      handshakeDelayEnabled: false,
    });
  },

  /** Drawn from SPEC §4.5's randomForSeed column, in this fixed order (determinism). */
  randomForSeed(rng: SimRng): ChaosConfiguration {
    return Object.freeze({
      clogProbability: rng.rangeFloat(0, 0.2),
      clogDuration: randomRange(rng, [50, 300], [100, 500]),
      partitionProbability: rng.rangeFloat(0, 0.15),
      partitionDuration: randomRange(rng, [100, 1000], [500, 3000]),
      partitionStrategy: pickOne(rng, PARTITION_STRATEGIES),
      bitFlipProbability: rng.rangeFloat(0.00001, 0.0002),
      bitFlipMinBits: 1,
      bitFlipMaxBits: 32,
      bitFlipCooldownMs: rng.range(0, 100),
      partialWriteMaxBytes: rng.range(100, 2000),
      randomCloseProbability: rng.rangeFloat(0.000001, 0.0001),
      randomCloseCooldownMs: rng.range(1000, 10000),
      randomCloseExplicitRatio: rng.rangeFloat(0.2, 0.4),
      clockDriftEnabled: true,
      clockDriftMaxMs: rng.range(50, 150),
      buggifiedDelayEnabled: true,
      buggifiedDelayMaxMs: rng.range(50, 150),
      buggifiedDelayProbability: rng.rangeFloat(0.2, 0.3),
      connectFailureMode: pickOne(rng, CONNECT_FAILURE_MODES),
      connectFailureProbability: rng.rangeFloat(0.4, 0.6),
      latencyDistribution: pickOne(rng, LATENCY_DISTRIBUTIONS),
      slowLatencyProbability: rng.rangeFloat(0.001, 0.005),
      slowLatencyMultiplier: rng.rangeFloat(5, 20),
      handshakeDelayEnabled: true,
      handshakeDelayMaxMs: rng.range(5, 20),
    });
  },

  validate,
});

/** `partial` over the defaults, validated; throws a RangeError naming the offending field. */
export function chaosConfiguration(partial: Partial<ChaosConfiguration> = {}): ChaosConfiguration {
  return validate(mergeOver(defaults(), partial, ''));
}
