import type { SimRng } from '../kernel/rng.js';
import {
  checkAtLeast,
  checkDurationRange,
  checkKnownFields,
  checkProbability,
  type DurationRange,
  durationRange,
  mergeOver,
} from './duration-range.js';

/** The simulated disk's performance and fault model (SPEC §4.6). Latencies are in milliseconds. */
export interface StorageConfiguration {
  /** Operations per second. */
  readonly iops: number;
  /** Bytes per second (150 MB/s = 150_000_000). */
  readonly bandwidth: number;
  readonly readLatency: DurationRange;
  readonly writeLatency: DurationRange;
  readonly syncLatency: DurationRange;
  /** A read returns corrupted bytes. */
  readonly readFaultProbability: number;
  /** The stored bytes differ from those written. */
  readonly writeFaultProbability: number;
  /** Torn writes at crash time: unsynced writes partially persisted. */
  readonly crashFaultProbability: number;
  /** A write lands at a wrong offset. */
  readonly misdirectWriteProbability: number;
  /** A read returns another offset's bytes. */
  readonly misdirectReadProbability: number;
  /** Write and sync report success but the data is gone after restart. */
  readonly phantomWriteProbability: number;
  /** Sync returns an error. */
  readonly syncFailureProbability: number;
}

const PROBABILITY_FIELDS = [
  'readFaultProbability',
  'writeFaultProbability',
  'crashFaultProbability',
  'misdirectWriteProbability',
  'misdirectReadProbability',
  'phantomWriteProbability',
  'syncFailureProbability',
] as const;

const NO_FAULTS = Object.freeze({
  readFaultProbability: 0,
  writeFaultProbability: 0,
  crashFaultProbability: 0,
  misdirectWriteProbability: 0,
  misdirectReadProbability: 0,
  phantomWriteProbability: 0,
  syncFailureProbability: 0,
});

function defaults(): StorageConfiguration {
  return Object.freeze({
    iops: 25_000,
    bandwidth: 150_000_000,
    readLatency: durationRange(0.05, 0.2),
    writeLatency: durationRange(0.1, 0.5),
    syncLatency: durationRange(1, 5),
    ...NO_FAULTS,
  });
}

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

function validate(value: StorageConfiguration): StorageConfiguration {
  checkKnownFields(defaults(), value, '');
  const c = value as unknown as Record<keyof StorageConfiguration, unknown>;
  const out: Record<string, unknown> = {
    // Zero would make every operation take forever.
    iops: checkAtLeast('iops', c.iops, Number.MIN_VALUE),
    bandwidth: checkAtLeast('bandwidth', c.bandwidth, Number.MIN_VALUE),
    readLatency: checkDurationRange('readLatency', c.readLatency),
    writeLatency: checkDurationRange('writeLatency', c.writeLatency),
    syncLatency: checkDurationRange('syncLatency', c.syncLatency),
  };
  for (const field of PROBABILITY_FIELDS) out[field] = checkProbability(field, c[field]);
  return Object.freeze(out) as unknown as StorageConfiguration;
}

/** Presets and validation; call sites read `StorageConfiguration.default()` etc. */
export const StorageConfiguration = Object.freeze({
  /** The seed's defaults: a fast SSD, no faults. */
  default: defaults,

  /** Drawn from SPEC §4.6's randomForSeed ranges, in this fixed order (determinism). */
  randomForSeed(rng: SimRng): StorageConfiguration {
    return Object.freeze({
      iops: rng.range(10_000, 100_000),
      bandwidth: rng.range(50, 500) * 1_000_000,
      readLatency: randomRange(rng, [20, 100], [100, 500]),
      writeLatency: randomRange(rng, [50, 200], [200, 1000]),
      syncLatency: randomRange(rng, [500, 2000], [2000, 10_000]),
      readFaultProbability: rng.rangeFloat(0, 0.001),
      writeFaultProbability: rng.rangeFloat(0, 0.001),
      crashFaultProbability: rng.rangeFloat(0, 0.0005),
      misdirectWriteProbability: rng.rangeFloat(0, 0.0001),
      misdirectReadProbability: rng.rangeFloat(0, 0.0001),
      phantomWriteProbability: rng.rangeFloat(0, 0.0002),
      syncFailureProbability: rng.rangeFloat(0, 0.0005),
    });
  },

  /** 1 M iops, 1 GB/s, 1 µs latencies, no faults. */
  fastLocal(): StorageConfiguration {
    const fast = durationRange(0.001, 0.001);
    return Object.freeze({
      iops: 1_000_000,
      bandwidth: 1_000_000_000,
      readLatency: fast,
      writeLatency: fast,
      syncLatency: fast,
      ...NO_FAULTS,
    });
  },

  validate,
});

/** `partial` over the defaults, validated; throws a RangeError naming the offending field. */
export function storageConfiguration(
  partial: Partial<StorageConfiguration> = {},
): StorageConfiguration {
  return validate(mergeOver(defaults(), partial, ''));
}
