import { checkCount, checkMs } from '../peer/config-checks.js';

/**
 * How `loadBalance` backs off. A cycle tries every alternative once; after a cycle without success
 * it sleeps `initialBackoffMs`, then `backoffMultiplier` times longer after each further cycle, at
 * most `maxBackoffMs`, and gives up (with the last error) after `maxFullCycles` cycles.
 */
export interface LoadBalanceConfig {
  /** Sleep after the first cycle without success, in ms (>= 0; default 50). */
  readonly initialBackoffMs: number;
  /** Factor the sleep grows by after each further failed cycle (finite, >= 1; default 2). */
  readonly backoffMultiplier: number;
  /** Longest sleep between cycles, in ms (>= `initialBackoffMs`; default 1000). */
  readonly maxBackoffMs: number;
  /** Cycles tried before giving up with the last error (>= 1; default 2). */
  readonly maxFullCycles: number;
}

/** Makes and checks {@link LoadBalanceConfig}s: the defaults, with or without overrides. */
export const LoadBalanceConfig = {
  /** 50 ms, doubling, at most 1 s; 2 full cycles (SPEC §6.7). `overrides` replace single fields. */
  default: (overrides?: Partial<LoadBalanceConfig>): LoadBalanceConfig =>
    LoadBalanceConfig.validate({ ...DEFAULTS, ...overrides }),
  /** Checks every field; returns a frozen copy. Throws a RangeError naming the field. */
  validate(config: LoadBalanceConfig): LoadBalanceConfig {
    if (typeof config !== 'object' || config === null) {
      throw new TypeError(`a LoadBalanceConfig must be an object, got ${String(config)}`);
    }
    const initial = checkMs('LoadBalanceConfig.initialBackoffMs', config.initialBackoffMs);
    const max = checkMs('LoadBalanceConfig.maxBackoffMs', config.maxBackoffMs);
    if (max < initial) {
      throw new RangeError(`LoadBalanceConfig.maxBackoffMs (${max} ms) must be >= initialBackoffMs (${initial} ms)`);
    }
    const multiplier = config.backoffMultiplier;
    if (typeof multiplier !== 'number' || !Number.isFinite(multiplier) || !(multiplier >= 1)) {
      throw new RangeError(
        `LoadBalanceConfig.backoffMultiplier must be a finite number >= 1, got ${String(multiplier)}`,
      );
    }
    const checked: LoadBalanceConfig = Object.freeze({
      initialBackoffMs: initial,
      backoffMultiplier: multiplier,
      maxBackoffMs: max,
      maxFullCycles: checkCount('LoadBalanceConfig.maxFullCycles', config.maxFullCycles, 1),
    });
    validated.add(checked);
    return checked;
  },
};

/** Configurations `validate` returned: frozen, so checked for good (a call need not check them again). */
const validated = new WeakSet<LoadBalanceConfig>();

/** `config` if `validate` made it, else its validated copy (throws like `validate`). */
export function checkedConfig(config: LoadBalanceConfig): LoadBalanceConfig {
  return validated.has(config) ? config : LoadBalanceConfig.validate(config);
}

const DEFAULTS: LoadBalanceConfig = Object.freeze({
  initialBackoffMs: 50,
  backoffMultiplier: 2,
  maxBackoffMs: 1000,
  maxFullCycles: 2,
});
