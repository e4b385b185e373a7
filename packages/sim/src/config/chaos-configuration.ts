import type { SimRng } from '../kernel/rng.js';
import {
  checkAtLeast,
  checkBoolean,
  checkDurationRange,
  checkInteger,
  checkNonNegative,
  checkOneOf,
  checkProbability,
  type DurationRange,
  durationRange,
  mergeOver,
  pickOne,
} from './duration-range.js';
import {
  checkFields,
  defaultsOf,
  drawFrom,
  type FieldValues,
  field,
  quietOf,
} from './field-table.js';

/** `Random`: random IP pairs; `UniformSize`: a group of 1..n−1 nodes cut off; `IsolateSingle`: one node. */
export const PARTITION_STRATEGIES = Object.freeze([
  'Random',
  'UniformSize',
  'IsolateSingle',
] as const);
/** Which nodes an automatic partition cuts off: `Random` (the default), `UniformSize` or `IsolateSingle`. */
export type PartitionStrategy = (typeof PARTITION_STRATEGIES)[number];

/** `Probabilistic`: of failed connects, half are refused and half hang forever. */
export const CONNECT_FAILURE_MODES = Object.freeze([
  'Disabled',
  'AlwaysFail',
  'Probabilistic',
] as const);
/** Whether a buggified connect may fail: `Disabled`, `AlwaysFail` (refused) or `Probabilistic` (the default). */
export type ConnectFailureMode = (typeof CONNECT_FAILURE_MODES)[number];

/** `Bimodal`: most operations take normal latency, a few are multiplied (tail latency). */
export const LATENCY_DISTRIBUTIONS = Object.freeze(['Uniform', 'Bimodal'] as const);
/** Shape of operation latencies: `Uniform` within the range (the default) or `Bimodal` with a slow tail. */
export type LatencyDistribution = (typeof LATENCY_DISTRIBUTIONS)[number];

/** Start and end drawn separately (integer ms, half-open), the end raised to the start if below it. */
function randomRange(rng: SimRng, start: [number, number], end: [number, number]): DurationRange {
  const min = rng.range(start[0], start[1]);
  return durationRange(min, Math.max(min, rng.range(end[0], end[1])));
}

const atLeastOneBit = (name: string, value: unknown) => checkInteger(name, value, 1);

/**
 * Every network fault-injection setting, one entry per field: its check, default, `randomForSeed`
 * draw and value in `disabled()` (`quiet`; omitted, the default). Durations are in milliseconds.
 * `randomForSeed` draws in this order, so the entries must keep it (determinism).
 */
export const CHAOS_FIELDS = Object.freeze({
  /** Chance a write stalls delivery on its connection for `clogDuration`. */
  clogProbability: field(checkProbability, {
    default: 0,
    random: (rng) => rng.rangeFloat(0, 0.2),
  }),
  /** How long a clogged connection stalls. */
  clogDuration: field(checkDurationRange, {
    default: durationRange(100, 300),
    random: (rng) => randomRange(rng, [50, 300], [100, 500]),
  }),
  /** Chance of an automatic partition lasting `partitionDuration`. */
  partitionProbability: field(checkProbability, {
    default: 0,
    random: (rng) => rng.rangeFloat(0, 0.15),
  }),
  /** How long an automatic partition lasts. */
  partitionDuration: field(checkDurationRange, {
    default: durationRange(200, 2000),
    random: (rng) => randomRange(rng, [100, 1000], [500, 3000]),
  }),
  /** Which nodes an automatic partition cuts off. */
  partitionStrategy: field((f, v) => checkOneOf(f, v, PARTITION_STRATEGIES), {
    default: 'Random',
    random: (rng) => pickOne(rng, PARTITION_STRATEGIES),
  }),
  /** Chance delivered data has bits flipped; the count follows a power law in [min, max]. */
  bitFlipProbability: field(checkProbability, {
    default: 0.0001,
    random: (rng) => rng.rangeFloat(0.00001, 0.0002),
    quiet: 0,
  }),
  /** Fewest bits one flip changes. */
  bitFlipMinBits: field(atLeastOneBit, { default: 1, random: () => 1 }),
  /** Most bits one flip changes. */
  bitFlipMaxBits: field(atLeastOneBit, { default: 32, random: () => 32 }),
  /** Quiet time after a bit flip before the next may happen. */
  bitFlipCooldownMs: field(checkNonNegative, {
    default: 0,
    random: (rng) => rng.range(0, 100),
  }),
  /** A (buggified) write may be truncated to 0..max bytes; 0 turns short writes off. */
  partialWriteMaxBytes: field((f, v) => checkInteger(f, v, 0), {
    default: 1000,
    random: (rng) => rng.range(100, 2000),
    quiet: 0,
  }),
  /** Chance of a spontaneous close per I/O operation. */
  randomCloseProbability: field(checkProbability, {
    default: 0.00001,
    random: (rng) => rng.rangeFloat(0.000001, 0.0001),
    quiet: 0,
  }),
  /** Quiet time after a random close before the next may happen. */
  randomCloseCooldownMs: field(checkNonNegative, {
    default: 5000,
    random: (rng) => rng.range(1000, 10000),
  }),
  /**
   * Share of random closes that surface as errors (the rest silently black-hole the connection).
   * `disabled()` keeps the default: it only shapes a fault that no longer happens.
   */
  randomCloseExplicitRatio: field(checkProbability, {
    default: 0.3,
    random: (rng) => rng.rangeFloat(0.2, 0.4),
  }),
  /** A process's `timer()` may run ahead of `now()` by up to `clockDriftMaxMs`. */
  clockDriftEnabled: field(checkBoolean, {
    default: true,
    random: () => true,
    quiet: false,
  }),
  clockDriftMaxMs: field(checkNonNegative, {
    default: 100,
    random: (rng) => rng.range(50, 150),
  }),
  /** Sleeps and timers may get up to `buggifiedDelayMaxMs` extra, with the given probability. */
  buggifiedDelayEnabled: field(checkBoolean, {
    default: true,
    random: () => true,
    quiet: false,
  }),
  buggifiedDelayMaxMs: field(checkNonNegative, {
    default: 100,
    random: (rng) => rng.range(50, 150),
  }),
  buggifiedDelayProbability: field(checkProbability, {
    default: 0.25,
    random: (rng) => rng.rangeFloat(0.2, 0.3),
    quiet: 0,
  }),
  /** Whether a (buggified) connect may fail, and how. */
  connectFailureMode: field((f, v) => checkOneOf(f, v, CONNECT_FAILURE_MODES), {
    default: 'Probabilistic',
    random: (rng) => pickOne(rng, CONNECT_FAILURE_MODES),
    quiet: 'Disabled',
  }),
  /** In `Probabilistic` mode, the share of failed connects that are refused (the rest hang). */
  connectFailureProbability: field(checkProbability, {
    default: 0.5,
    random: (rng) => rng.rangeFloat(0.4, 0.6),
    quiet: 0,
  }),
  /** Shape of operation latencies within their ranges. */
  latencyDistribution: field((f, v) => checkOneOf(f, v, LATENCY_DISTRIBUTIONS), {
    default: 'Uniform',
    random: (rng) => pickOne(rng, LATENCY_DISTRIBUTIONS),
  }),
  /** With `Bimodal` latencies, the chance an operation is slow. */
  slowLatencyProbability: field(checkProbability, {
    default: 0.001,
    random: (rng) => rng.rangeFloat(0.001, 0.005),
    quiet: 0,
  }),
  /** How many times slower a slow operation is; below 1 the "slow" tail would be faster. */
  slowLatencyMultiplier: field((f, v) => checkAtLeast(f, v, 1), {
    default: 10,
    random: (rng) => rng.rangeFloat(5, 20),
  }),
  /** Connection establishment may take up to `handshakeDelayMaxMs` extra. */
  handshakeDelayEnabled: field(checkBoolean, {
    default: true,
    random: () => true,
    quiet: false,
  }),
  handshakeDelayMaxMs: field(checkNonNegative, {
    default: 10,
    random: (rng) => rng.range(5, 20),
  }),
});

/** Every network fault-injection setting: one property per `CHAOS_FIELDS` entry. */
export type ChaosConfiguration = FieldValues<typeof CHAOS_FIELDS>;

function defaults(): ChaosConfiguration {
  return defaultsOf(CHAOS_FIELDS);
}

/** Checks every field (names prefixed with `prefix`, e.g. `chaos.`) and returns a frozen copy. */
function validate(value: ChaosConfiguration, prefix = ''): ChaosConfiguration {
  const out = checkFields(CHAOS_FIELDS, value, prefix);
  if (out.bitFlipMinBits > out.bitFlipMaxBits) {
    const { bitFlipMinBits: min, bitFlipMaxBits: max } = out;
    throw new RangeError(
      `${prefix}bitFlipMinBits (${min}) must be <= ${prefix}bitFlipMaxBits (${max})`,
    );
  }
  return out;
}

/** Presets and validation; call sites read `ChaosConfiguration.default()` etc. */
export const ChaosConfiguration = Object.freeze({
  /** Chaos on, no clogs or automatic partitions. */
  default: defaults,

  /** All chaos off (`partialWriteMaxBytes` 0 turns short writes off). */
  disabled(): ChaosConfiguration {
    return quietOf(CHAOS_FIELDS);
  },

  /** Each field drawn from its range, in table order (determinism). */
  randomForSeed(rng: SimRng): ChaosConfiguration {
    return drawFrom(CHAOS_FIELDS, rng);
  },

  validate,
});

/** `partial` over the defaults, validated; throws a RangeError naming the offending field. */
export function chaosConfiguration(partial: Partial<ChaosConfiguration> = {}): ChaosConfiguration {
  return validate(mergeOver(defaults(), partial, ''));
}
