import type { SimRng } from '../kernel/rng.js';
import { ChaosConfiguration } from './chaos-configuration.js';
import {
  checkDurationRange,
  checkKnownFields,
  type DurationRange,
  durationRange,
  mergeOver,
} from './duration-range.js';

/** Top-level network simulation parameters (SPEC §4.5). Latencies are in milliseconds. */
export interface NetworkConfiguration {
  readonly bindLatency: DurationRange;
  readonly acceptLatency: DurationRange;
  readonly connectLatency: DurationRange;
  readonly readLatency: DurationRange;
  readonly writeLatency: DurationRange;
  readonly chaos: ChaosConfiguration;
}

/** A partial configuration whose `chaos` may itself be partial. */
export type NetworkConfigurationInit = Partial<Omit<NetworkConfiguration, 'chaos'>> & {
  readonly chaos?: Partial<ChaosConfiguration>;
};

const LATENCY_FIELDS = [
  'bindLatency',
  'acceptLatency',
  'connectLatency',
  'readLatency',
  'writeLatency',
] as const;

function defaults(): NetworkConfiguration {
  return Object.freeze({
    bindLatency: durationRange(0.05, 0.15),
    acceptLatency: durationRange(1, 6),
    connectLatency: durationRange(1, 11),
    readLatency: durationRange(0.01, 0.06),
    writeLatency: durationRange(0.1, 0.6),
    chaos: ChaosConfiguration.default(),
  });
}

/**
 * Our choice (the seed gives no column for latencies): each bound of the default range is scaled,
 * the start to [½×, 2×) and the end to [½×, 2×) of its default, drawn in whole microseconds; the
 * end is raised to the start if below it. E.g. connect 1–11 ms becomes start 0.5–2 ms, end 5.5–22 ms.
 */
function randomLatency(rng: SimRng, base: DurationRange): DurationRange {
  const us = (ms: number) => Math.round(ms * 1000);
  const min = rng.range(us(base.minMs / 2), us(base.minMs * 2));
  const max = Math.max(min, rng.range(us(base.maxMs / 2), us(base.maxMs * 2)));
  return durationRange(min / 1000, max / 1000);
}

function validate(value: NetworkConfiguration): NetworkConfiguration {
  checkKnownFields(defaults(), value, '');
  const c = value as unknown as Record<keyof NetworkConfiguration, unknown>;
  const out: Record<string, unknown> = {};
  for (const field of LATENCY_FIELDS) out[field] = checkDurationRange(field, c[field]);
  out.chaos = ChaosConfiguration.validate(c.chaos as ChaosConfiguration, 'chaos.');
  return Object.freeze(out) as unknown as NetworkConfiguration;
}

/** Presets and validation; call sites read `NetworkConfiguration.default()` etc. */
export const NetworkConfiguration = Object.freeze({
  /** The seed's default latencies with default chaos. */
  default: defaults,

  /** Latencies around the defaults (see `randomLatency`) and `ChaosConfiguration.randomForSeed`. */
  randomForSeed(rng: SimRng): NetworkConfiguration {
    const base = defaults();
    return Object.freeze({
      bindLatency: randomLatency(rng, base.bindLatency),
      acceptLatency: randomLatency(rng, base.acceptLatency),
      connectLatency: randomLatency(rng, base.connectLatency),
      readLatency: randomLatency(rng, base.readLatency),
      writeLatency: randomLatency(rng, base.writeLatency),
      chaos: ChaosConfiguration.randomForSeed(rng),
    });
  },

  /** Every latency 1–10 µs and all chaos off: for fast, quiet tests. */
  fastLocal(): NetworkConfiguration {
    const fast = durationRange(0.001, 0.01);
    return Object.freeze({
      bindLatency: fast,
      acceptLatency: fast,
      connectLatency: fast,
      readLatency: fast,
      writeLatency: fast,
      chaos: ChaosConfiguration.disabled(),
    });
  },

  validate,
});

/** `partial` over the defaults (its `chaos` over default chaos), validated; errors name the field. */
export function networkConfiguration(partial: NetworkConfigurationInit = {}): NetworkConfiguration {
  const base = defaults();
  const merged = mergeOver(base, partial, '');
  const chaos =
    partial.chaos === undefined ? base.chaos : mergeOver(base.chaos, partial.chaos, 'chaos.');
  return validate({ ...merged, chaos });
}
