import type { RebootKind, RebootOptions } from '../chaos/reboot.js';
import type { StorageConfiguration } from '../config/storage-configuration.js';

/** What a workload may do to the simulated cluster (`ctx.cluster`). */
export interface ClusterControl {
  /** IPs of all processes. */
  readonly processIps: readonly string[];
  /** Reboots the process at `ip`; resolves once the reboot is under way (not when it is back). */
  reboot(ip: string, kind: RebootKind, options?: RebootOptions): void;
  /** Whether the process at `ip` is currently up. */
  isAlive(ip: string): boolean;
  /** Overrides the storage configuration of one machine (for example to inject storage faults). */
  setProcessStorageConfig(ip: string, config: StorageConfiguration): void;
}
