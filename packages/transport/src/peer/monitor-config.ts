import { checkCount, checkMs } from './config-checks.js';

/**
 * Ping-based health monitoring of an outgoing connection (FoundationDB's connection monitor): every
 * `pingInterval` ms a PING goes out and a PONG must come back within `pingTimeout` ms. A timeout
 * while other bytes did arrive is tolerated (the peer is busy, not dead) up to
 * `maxToleratedTimeouts` in a row; otherwise the connection is torn down.
 */
export interface MonitorConfig {
  /** Time between pings, in ms (> 0; default 1000). */
  readonly pingInterval: number;
  /** How long a ping waits for its PONG, in ms (> 0; default 2000). */
  readonly pingTimeout: number;
  /** Ping timeouts in a row tolerated while other bytes still arrive (>= 0; default 3). */
  readonly maxToleratedTimeouts: number;
}

function make(defaults: MonitorConfig, overrides: Partial<MonitorConfig> = {}): MonitorConfig {
  return MonitorConfig.validate({ ...defaults, ...overrides });
}

/** Makes and checks {@link MonitorConfig}s: presets for a default, a local and a wide-area network. */
export const MonitorConfig = {
  /** 1 s interval, 2 s timeout, 3 tolerated timeouts. */
  default: (overrides?: Partial<MonitorConfig>): MonitorConfig =>
    make({ pingInterval: 1000, pingTimeout: 2000, maxToleratedTimeouts: 3 }, overrides),
  /** 500 ms, 1 s, 2: a fast local network. */
  localNetwork: (overrides?: Partial<MonitorConfig>): MonitorConfig =>
    make({ pingInterval: 500, pingTimeout: 1000, maxToleratedTimeouts: 2 }, overrides),
  /** 5 s, 10 s, 5: a wide-area network. */
  wanNetwork: (overrides?: Partial<MonitorConfig>): MonitorConfig =>
    make({ pingInterval: 5000, pingTimeout: 10_000, maxToleratedTimeouts: 5 }, overrides),
  /** Checks every field; returns a frozen copy. */
  validate(config: MonitorConfig): MonitorConfig {
    return Object.freeze({
      pingInterval: checkMs('MonitorConfig.pingInterval', config.pingInterval, { positive: true }),
      pingTimeout: checkMs('MonitorConfig.pingTimeout', config.pingTimeout, { positive: true }),
      maxToleratedTimeouts: checkCount('MonitorConfig.maxToleratedTimeouts', config.maxToleratedTimeouts, 0),
    });
  },
};
