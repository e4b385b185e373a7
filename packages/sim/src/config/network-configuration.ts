import type { SimRng } from '../kernel/rng.js';
import { ChaosConfiguration } from './chaos-configuration.js';
import {
  checkDurationRange,
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

/**
 * Our choice (there is no reference range for latencies): each bound of the default range is
 * scaled, the start to [½×, 2×) and the end to [½×, 2×) of its default, drawn in whole
 * microseconds; the end is raised to the start if below it. E.g. connect 1–11 ms becomes start
 * 0.5–2 ms, end 5.5–22 ms.
 */
function randomLatency(rng: SimRng, base: DurationRange): DurationRange {
  const us = (ms: number) => Math.round(ms * 1000);
  const min = rng.range(us(base.minMs / 2), us(base.minMs * 2));
  const max = Math.max(min, rng.range(us(base.maxMs / 2), us(base.maxMs * 2)));
  return durationRange(min / 1000, max / 1000);
}

/** 1–10 µs in `fastLocal()`: for fast, quiet tests. */
const FAST_LATENCY = durationRange(0.001, 0.01);

/** Chaos fields are named below the network's: `chaos.clogProbability`. */
function checkChaos(name: string, value: unknown): ChaosConfiguration {
  return ChaosConfiguration.validate(value as ChaosConfiguration, `${name}.`);
}

/** A latency defaulting to [minMs, maxMs), drawn around it (see `randomLatency`). */
function latency(minMs: number, maxMs: number) {
  const base = durationRange(minMs, maxMs);
  return field(checkDurationRange, {
    default: base,
    random: (rng) => randomLatency(rng, base),
    quiet: FAST_LATENCY,
  });
}

/**
 * Top-level network simulation parameters, one entry per field: its check, default,
 * `randomForSeed` draw and value in `fastLocal()` (`quiet`). Latencies are in milliseconds.
 * `randomForSeed` draws in this order, so the entries must keep it (determinism).
 */
export const NETWORK_FIELDS = Object.freeze({
  bindLatency: latency(0.05, 0.15),
  acceptLatency: latency(1, 6),
  connectLatency: latency(1, 11),
  readLatency: latency(0.01, 0.06),
  writeLatency: latency(0.1, 0.6),
  /** Fault injection; `fastLocal()` turns it all off. */
  chaos: field(checkChaos, {
    default: ChaosConfiguration.default(),
    random: (rng) => ChaosConfiguration.randomForSeed(rng),
    quiet: ChaosConfiguration.disabled(),
  }),
});

/** Top-level network simulation parameters: one property per `NETWORK_FIELDS` entry. */
export type NetworkConfiguration = FieldValues<typeof NETWORK_FIELDS>;

/** A partial configuration whose `chaos` may itself be partial. */
export type NetworkConfigurationInit = Partial<Omit<NetworkConfiguration, 'chaos'>> & {
  readonly chaos?: Partial<ChaosConfiguration>;
};

function defaults(): NetworkConfiguration {
  return defaultsOf(NETWORK_FIELDS);
}

function validate(value: NetworkConfiguration): NetworkConfiguration {
  return checkFields(NETWORK_FIELDS, value, '');
}

/** Presets and validation; call sites read `NetworkConfiguration.default()` etc. */
export const NetworkConfiguration = Object.freeze({
  /** The default latencies with default chaos. */
  default: defaults,

  /** Latencies around the defaults (see `randomLatency`) and `ChaosConfiguration.randomForSeed`. */
  randomForSeed(rng: SimRng): NetworkConfiguration {
    return drawFrom(NETWORK_FIELDS, rng);
  },

  /** Every latency 1–10 µs and all chaos off: for fast, quiet tests. */
  fastLocal(): NetworkConfiguration {
    return quietOf(NETWORK_FIELDS);
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
