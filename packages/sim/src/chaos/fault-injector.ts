import type { RandomProvider, TimeProvider } from '@moonpool/core';
import type { RebootKind, RebootOptions } from './reboot.js';

/** What a fault injector may do during the chaos phase. Calls after the chaos phase do nothing. */
export interface FaultContext {
  /** IPs of all processes. */
  readonly processIps: readonly string[];
  /** IPs of the processes whose tag `key` equals `value`. */
  ipsTagged(key: string, value: string): string[];
  isAlive(ip: string): boolean;
  /** True from the start of a reboot (including a graceful shutdown's grace period) until the restart. */
  isRebooting(ip: string): boolean;
  reboot(ip: string, kind: RebootKind, options?: RebootOptions): void;
  /** Cuts `a` and `b` from each other for `ms` (or until `healAll`). */
  partitionPair(a: string, b: string, ms?: number): void;
  partitionSendFrom(ip: string, ms?: number): void;
  partitionRecvTo(ip: string, ms?: number): void;
  healAll(): void;
  /** Cuts these machines off now and brings them back one by one in reverse order over `ms`. */
  swizzle(ips: readonly string[], ms: number): void;
  /** Half-open connections: `ip` vanishes from its connections; peers learn after `errorAfterMs`. */
  simulatePeerCrash(ip: string, errorAfterMs?: number): void;
  /** Power loss on `ip`'s storage: unsynced data is lost or torn. */
  simulateStorageCrash(ip: string): void;
  /** Deletes everything `ip` stored. */
  wipeStorage(ip: string): void;
  readonly time: TimeProvider;
  readonly random: RandomProvider;
  /** Aborted when the chaos phase ends: injectors should return. */
  readonly chaosShutdown: AbortSignal;
}

/** A custom fault injector, run concurrently with the workloads during the chaos phase. */
export interface FaultInjector {
  readonly name: string;
  inject(ctx: FaultContext): Promise<void>;
}
