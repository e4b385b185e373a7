import { NetworkConfiguration } from 'moonpool';

/** Timing of the lease protocol, in milliseconds. */
export interface LeaseConfig {
  /** How long a granted lease lasts. */
  readonly ttlMs: number;
  /** How often the holder renews. */
  readonly heartbeatMs: number;
  /** How soon a node looks again after losing a compare-and-set race. */
  readonly retryMs: number;
  /** How often the leader does its leader work (each time it checks its lease first). */
  readonly dutyMs: number;
  /**
   * How long before its lease expires the holder stops acting. Lease expiry times are written with
   * one node's clock and judged with another's, so this must cover the largest clock difference.
   */
  readonly safetyMarginMs: number;
}

/** How far apart two simulated clocks can be: each `timer()` runs up to this far ahead of `now()`. */
export const MAX_CLOCK_DRIFT_MS = NetworkConfiguration.default().chaos.clockDriftMaxMs;

export const LEASE_CONFIG: LeaseConfig = {
  ttlMs: 1000,
  heartbeatMs: 200,
  retryMs: 20,
  dutyMs: 20,
  safetyMarginMs: MAX_CLOCK_DRIFT_MS,
};

/** The seeded bug: the holder trusts its lease right up to the expiry time, ignoring clock drift. */
export const BUGGY_LEASE_CONFIG: LeaseConfig = { ...LEASE_CONFIG, safetyMarginMs: 0 };
