import type { SimRng } from '../kernel/rng.js';
import {
  checkAtLeast,
  checkDurationRange,
  checkProbability,
  type DurationRange,
  durationRange,
  mergeOver,
} from './duration-range.js';
import {
  checkFields,
  defaultsOf,
  drawFrom,
  type FieldValues,
  field,
  quietOf,
} from './field-table.js';

/** Start and end drawn separately in whole microseconds (half-open), end raised to start if below. */
function randomRange(
  rng: SimRng,
  startUs: [number, number],
  endUs: [number, number],
): DurationRange {
  const min = rng.range(startUs[0], startUs[1]);
  const max = Math.max(min, rng.range(endUs[0], endUs[1]));
  return durationRange(min / 1000, max / 1000);
}

// Zero would make every operation take forever.
const positive = (name: string, value: unknown) => checkAtLeast(name, value, Number.MIN_VALUE);

/** 1 µs in `fastLocal()`. */
const FAST_LATENCY = durationRange(0.001, 0.001);

/** A fault: off by default and in `fastLocal()`, drawn from [0, max) by `randomForSeed`. */
function faultProbability(max: number) {
  return field(checkProbability, {
    default: 0,
    random: (rng) => rng.rangeFloat(0, max),
    quiet: 0,
  });
}

/**
 * The simulated disk's performance and fault model, one entry per field: its check, default,
 * `randomForSeed` draw and value in `fastLocal()` (`quiet`). Latencies are in milliseconds.
 * `randomForSeed` draws in this order, so the entries must keep it (determinism).
 */
export const STORAGE_FIELDS = Object.freeze({
  /** Operations per second. */
  iops: field(positive, {
    default: 25_000,
    random: (rng) => rng.range(10_000, 100_000),
    quiet: 1_000_000,
  }),
  /** Bytes per second (150 MB/s = 150_000_000). */
  bandwidth: field(positive, {
    default: 150_000_000,
    random: (rng) => rng.range(50, 500) * 1_000_000,
    quiet: 1_000_000_000,
  }),
  readLatency: field(checkDurationRange, {
    default: durationRange(0.05, 0.2),
    random: (rng) => randomRange(rng, [20, 100], [100, 500]),
    quiet: FAST_LATENCY,
  }),
  writeLatency: field(checkDurationRange, {
    default: durationRange(0.1, 0.5),
    random: (rng) => randomRange(rng, [50, 200], [200, 1000]),
    quiet: FAST_LATENCY,
  }),
  syncLatency: field(checkDurationRange, {
    default: durationRange(1, 5),
    random: (rng) => randomRange(rng, [500, 2000], [2000, 10_000]),
    quiet: FAST_LATENCY,
  }),
  /** A read returns corrupted bytes. */
  readFaultProbability: faultProbability(0.001),
  /** The stored bytes differ from those written. */
  writeFaultProbability: faultProbability(0.001),
  /** Torn writes at crash time: unsynced writes partially persisted. */
  crashFaultProbability: faultProbability(0.0005),
  /** A write lands at a wrong offset. */
  misdirectWriteProbability: faultProbability(0.0001),
  /** A read returns another offset's bytes. */
  misdirectReadProbability: faultProbability(0.0001),
  /** Write and sync report success but the data is gone after restart. */
  phantomWriteProbability: faultProbability(0.0002),
  /** Sync returns an error. */
  syncFailureProbability: faultProbability(0.0005),
});

/** The simulated disk's performance and fault model: one property per `STORAGE_FIELDS` entry. */
export type StorageConfiguration = FieldValues<typeof STORAGE_FIELDS>;

function defaults(): StorageConfiguration {
  return defaultsOf(STORAGE_FIELDS);
}

function validate(value: StorageConfiguration): StorageConfiguration {
  return checkFields(STORAGE_FIELDS, value, '');
}

/** Presets and validation; call sites read `StorageConfiguration.default()` etc. */
export const StorageConfiguration = Object.freeze({
  /** A fast SSD, no faults. */
  default: defaults,

  /** Each field drawn from its range, in table order (determinism). */
  randomForSeed(rng: SimRng): StorageConfiguration {
    return drawFrom(STORAGE_FIELDS, rng);
  },

  /** 1 M iops, 1 GB/s, 1 µs latencies, no faults. */
  fastLocal(): StorageConfiguration {
    return quietOf(STORAGE_FIELDS);
  },

  validate,
});

/** `partial` over the defaults, validated; throws a RangeError naming the offending field. */
export function storageConfiguration(
  partial: Partial<StorageConfiguration> = {},
): StorageConfiguration {
  return validate(mergeOver(defaults(), partial, ''));
}
