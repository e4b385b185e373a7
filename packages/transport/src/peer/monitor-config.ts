import { checkCount, checkMs } from './config-checks.js';

/**
 * Ping-based health monitoring of an outgoing connection (FoundationDB's connection monitor): every
 * `pingInterval` ms a PING goes out and a PONG must come back within `pingTimeout` ms. A timeout
 * while other bytes did arrive is tolerated (the peer is busy, not dead) up to
 * `maxToleratedTimeouts` in a row; otherwise the connection is torn down.
 */
export interface MonitorConfig {
  readonly pingInterval: number;
  readonly pingTimeout: number;
  readonly maxToleratedTimeouts: number;
}

function make(defaults: MonitorConfig, overrides: Partial<MonitorConfig> = {}): MonitorConfig {
  return MonitorConfig.validate({ ...defaults, ...overrides });
}

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
