import type { StorageConfiguration } from '../config/storage-configuration.js';

/** How a process is rebooted (SPEC §4.7). */
export type RebootKind = 'Graceful' | 'Crash' | 'CrashAndWipe';

export interface RebootOptions {
  /** Time allowed for a graceful shutdown before the process is force-killed (default 2000–5000 ms). */
  gracePeriodMs?: number;
  /** Delay between the process stopping and its restart (default 1000–10000 ms). */
  recoveryDelayMs?: number;
}

/** Defaults of the seed's `Attrition`: drawn per reboot from these half-open ranges (ms). */
export const DEFAULT_GRACE_PERIOD_MS: readonly [number, number] = [2000, 5000];
export const DEFAULT_RECOVERY_DELAY_MS: readonly [number, number] = [1000, 10000];

/** What workloads and fault injectors may do to the simulated cluster. */
export interface SimControl {
  /** IPs of all processes. */
  readonly processIps: readonly string[];
  /** Reboots the process at `ip`; resolves once the reboot is under way (not when it is back). */
  reboot(ip: string, kind: RebootKind, options?: RebootOptions): void;
  /** Whether the process at `ip` is currently up. */
  isAlive(ip: string): boolean;
  /** Overrides the storage configuration of one machine (for example to inject storage faults). */
  setProcessStorageConfig(ip: string, config: StorageConfiguration): void;
}
