import { checkCount, checkMs } from './config-checks.js';
import { MonitorConfig } from './monitor-config.js';

/**
 * How a peer connects and reconnects. Durations in ms. After a failed connection it waits
 * `initialReconnectDelay`, doubling up to `maxReconnectDelay` (back to the start after a success),
 * and gives up after `maxConnectionFailures` failures in a row (null: never). Each of its two queues
 * holds at most `maxQueueSize` messages. Outgoing connections are health-checked with `monitor`
 * (null: not at all).
 */
export interface PeerConfig {
  /** Wait before the first reconnection attempt after a failure, in ms (>= 0; default 100). */
  readonly initialReconnectDelay: number;
  /** Longest wait between reconnection attempts, in ms (>= `initialReconnectDelay`; default 30 000). */
  readonly maxReconnectDelay: number;
  /** Most messages each of the two queues holds; beyond it a send fails with `QueueFull` (>= 1; default 1000). */
  readonly maxQueueSize: number;
  /** How long one connection attempt may take before it counts as failed, in ms (> 0; default 5000). */
  readonly connectionTimeout: number;
  /** Failed connections in a row after which the peer gives up (>= 1); null, the default: never. */
  readonly maxConnectionFailures: number | null;
  /** Health check of outgoing connections (default: `MonitorConfig.default()`); null: none. */
  readonly monitor: MonitorConfig | null;
}

function make(defaults: PeerConfig, overrides: Partial<PeerConfig> = {}): PeerConfig {
  return PeerConfig.validate({ ...defaults, ...overrides });
}

/** Makes and checks {@link PeerConfig}s: presets for a default, a local and a wide-area network. */
export const PeerConfig = {
  /** 100 ms → 30 s backoff, 1 000 messages, 5 s connect timeout, never gives up. */
  default: (overrides?: Partial<PeerConfig>): PeerConfig =>
    make(
      {
        initialReconnectDelay: 100,
        maxReconnectDelay: 30_000,
        maxQueueSize: 1000,
        connectionTimeout: 5000,
        maxConnectionFailures: null,
        monitor: MonitorConfig.default(),
      },
      overrides,
    ),
  /** 10 ms → 1 s, 100 messages, 500 ms connect timeout, gives up after 10 failures. */
  localNetwork: (overrides?: Partial<PeerConfig>): PeerConfig =>
    make(
      {
        initialReconnectDelay: 10,
        maxReconnectDelay: 1000,
        maxQueueSize: 100,
        connectionTimeout: 500,
        maxConnectionFailures: 10,
        monitor: MonitorConfig.default(),
      },
      overrides,
    ),
  /** 500 ms → 60 s, 5 000 messages, 30 s connect timeout, never gives up. */
  wanNetwork: (overrides?: Partial<PeerConfig>): PeerConfig =>
    make(
      {
        initialReconnectDelay: 500,
        maxReconnectDelay: 60_000,
        maxQueueSize: 5000,
        connectionTimeout: 30_000,
        maxConnectionFailures: null,
        monitor: MonitorConfig.default(),
      },
      overrides,
    ),
  /** Checks every field; returns a frozen copy. */
  validate(config: PeerConfig): PeerConfig {
    const initial = checkMs('PeerConfig.initialReconnectDelay', config.initialReconnectDelay);
    const max = checkMs('PeerConfig.maxReconnectDelay', config.maxReconnectDelay);
    if (max < initial) {
      throw new RangeError(
        `PeerConfig.maxReconnectDelay (${max} ms) must be >= initialReconnectDelay (${initial} ms)`,
      );
    }
    return Object.freeze({
      initialReconnectDelay: initial,
      maxReconnectDelay: max,
      maxQueueSize: checkCount('PeerConfig.maxQueueSize', config.maxQueueSize, 1),
      connectionTimeout: checkMs('PeerConfig.connectionTimeout', config.connectionTimeout, { positive: true }),
      maxConnectionFailures:
        config.maxConnectionFailures === null
          ? null
          : checkCount('PeerConfig.maxConnectionFailures', config.maxConnectionFailures, 1),
      monitor: config.monitor === null ? null : MonitorConfig.validate(config.monitor),
    });
  },
};
