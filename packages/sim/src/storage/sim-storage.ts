import { StorageConfiguration } from '../config/storage-configuration.js';
import type { SimRng } from '../kernel/rng.js';
import type { StorageFaultEvent } from '../chaos/fault-events.js';
import { SimDisk } from './sim-disk.js';
import type { CrashTally } from './torn-writes.js';

export interface SimStorageOptions {
  /** Configuration of every machine without an override (default: `StorageConfiguration.default()`). */
  config?: StorageConfiguration;
  /** Receives every injected storage fault; the runner forwards them to the `sim:faults` timeline. */
  onFault?: (event: StorageFaultEvent) => void;
}

/**
 * The simulated storage of one iteration: an in-memory disk per machine IP, with its performance
 * and fault model, plus the power-loss and wipe operations the chaos machinery applies to it.
 */
export class SimStorage {
  private readonly disks = new Map<string, SimDisk>();
  private readonly config: StorageConfiguration;
  private readonly onFault: (event: StorageFaultEvent) => void;

  constructor(
    private readonly rng: SimRng,
    options: SimStorageOptions = {},
  ) {
    this.config = StorageConfiguration.validate(options.config ?? StorageConfiguration.default());
    this.onFault = options.onFault ?? (() => {});
  }

  /** The disk of `ip`, created empty on first use. */
  disk(ip: string): SimDisk {
    let disk = this.disks.get(ip);
    if (disk === undefined) {
      disk = new SimDisk(ip, this.config);
      this.disks.set(ip, disk);
    }
    return disk;
  }

  /** Overrides the configuration of one machine's disk (validated; throws a RangeError if invalid). */
  setProcessStorageConfig(ip: string, config: StorageConfiguration): void {
    this.disk(ip).config = StorageConfiguration.validate(config);
  }

  storageConfigFor(ip: string): StorageConfiguration {
    return this.disk(ip).config;
  }

  /** Paths of the files `ip` has, in creation order. */
  paths(ip: string): string[] {
    return [...(this.disks.get(ip)?.files.keys() ?? [])];
  }

  /**
   * Power loss on `ip`: synced data survives, unsynced data is lost or torn (see `tearAtCrash`),
   * phantom writes vanish. With `closeFiles`, every open handle becomes invalid (EBADF).
   */
  simulateCrashForProcess(ip: string, closeFiles = true): void {
    const disk = this.disk(ip);
    const tally: CrashTally = { unsyncedOps: 0, tornOps: 0, lostOps: 0, phantomWrites: 0 };
    const tear = disk.config.crashFaultProbability;
    for (const file of disk.files.values()) file.crash(this.rng, tear, tally);
    if (closeFiles) disk.epoch++;
    this.emitFault({ type: 'StorageCrash', ip, files: disk.files.size, ...tally });
  }

  /** Deletes every file of `ip` at once and invalidates its open handles. */
  wipeStorageForProcess(ip: string): void {
    const disk = this.disk(ip);
    const files = disk.files.size;
    disk.files.clear();
    disk.epoch++;
    this.emitFault({ type: 'StorageWipe', ip, files });
  }

  emitFault(event: StorageFaultEvent): void {
    this.onFault(event);
  }
}
