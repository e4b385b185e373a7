import { type DurationRange, sampleDuration } from '../config/duration-range.js';
import type { StorageConfiguration } from '../config/storage-configuration.js';
import type { SimRng } from '../kernel/rng.js';
import { msToTicks, TICKS_PER_MS } from '../kernel/ticks.js';
import type { SimFile } from './sim-file.js';

/** What an operation costs: data transfers and syncs queue on the device, metadata does not. */
export type IoClass = 'read' | 'write' | 'sync' | 'metadata';

const TICKS_PER_S = 1000 * TICKS_PER_MS;

/** One machine's disk: its files by normalised path, its performance model and its queue. */
export class SimDisk {
  readonly files = new Map<string, SimFile>();
  /** Tick at which the device can start its next queued operation. */
  private busyUntil = 0;
  /** Bumped by a crash that closes files and by a wipe: handles of an older epoch are invalid. */
  epoch = 0;

  constructor(
    readonly ip: string,
    public config: StorageConfiguration,
  ) {}

  /**
   * Ticks until an operation issued now completes: its sampled latency, plus for queued classes the
   * wait for the device (operations are serialised 1/iops apart and hold it while their bytes
   * transfer) and the transfer time of `bytes` at the configured bandwidth.
   */
  delayTicks(now: number, io: IoClass, bytes: number, rng: SimRng): number {
    const c = this.config;
    const latency = msToTicks(sampleDuration(latencyRange(c, io), rng));
    if (io === 'metadata') return latency;
    const transfer = Math.round((bytes * TICKS_PER_S) / c.bandwidth);
    const start = Math.max(now, this.busyUntil);
    this.busyUntil = start + Math.max(1, Math.round(TICKS_PER_S / c.iops)) + transfer;
    return start - now + transfer + latency;
  }
}

function latencyRange(c: StorageConfiguration, io: IoClass): DurationRange {
  if (io === 'write') return c.writeLatency;
  if (io === 'sync') return c.syncLatency;
  // Metadata is served from the file system's in-memory structures: the small read latency.
  return c.readLatency;
}
