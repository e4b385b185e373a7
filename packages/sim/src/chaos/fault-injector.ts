import type { RandomProvider, TimeProvider } from '@moonpool/core';
import type { RebootKind, RebootOptions } from './reboot.js';

/** What a fault injector may do during the chaos phase. Calls after the chaos phase do nothing. */
export interface FaultContext {
  /** IPs of all processes. */
  readonly processIps: readonly string[];
  /** IPs of the processes whose tag `key` equals `value`. */
  ipsTagged(key: string, value: string): string[];
  /** Whether the process at `ip` is running now (false while it is down, and for an unknown IP). */
  isAlive(ip: string): boolean;
  /** True from the start of a reboot (including a graceful shutdown's grace period) until the restart. */
  isRebooting(ip: string): boolean;
  /**
   * Reboots the process at `ip` the given way; `options` fixes timings that are otherwise drawn at random.
   * Throws a `RangeError` when no process has that IP.
   */
  reboot(ip: string, kind: RebootKind, options?: RebootOptions): void;
  /** Cuts `a` and `b` from each other for `ms` (or until `healAll`). */
  partitionPair(a: string, b: string, ms?: number): void;
  /** Nothing `ip` sends arrives anywhere, for `ms` of simulated time (or until `healAll`). */
  partitionSendFrom(ip: string, ms?: number): void;
  /** Nothing sent to `ip` arrives, for `ms` of simulated time (or until `healAll`). */
  partitionRecvTo(ip: string, ms?: number): void;
  /** Heals every partition and cut connection at once; data held back flows again. */
  healAll(): void;
  /** Cuts these machines off now and brings them back one by one in reverse order over `ms`. */
  swizzle(ips: readonly string[], ms: number): void;
  /** Half-open connections: `ip` vanishes from its connections; peers learn after `errorAfterMs`. */
  simulatePeerCrash(ip: string, errorAfterMs?: number): void;
  /** Power loss on `ip`'s storage: unsynced data is lost or torn. */
  simulateStorageCrash(ip: string): void;
  /** Deletes everything `ip` stored. */
  wipeStorage(ip: string): void;
  /** Simulated time, for sleeps between faults (pass `chaosShutdown` to stop in time). */
  readonly time: TimeProvider;
  /** The simulation's deterministic random numbers, for choosing targets and delays. */
  readonly random: RandomProvider;
  /** Aborted when the chaos phase ends: injectors should return. */
  readonly chaosShutdown: AbortSignal;
}

/** A custom fault injector, run concurrently with the workloads during the chaos phase. */
export interface FaultInjector {
  /** Name of the injector; its task appears as `fault:<name>` in diagnostics. */
  readonly name: string;
  /** Injects faults until `ctx.chaosShutdown` is aborted, then returns. */
  inject(ctx: FaultContext): Promise<void>;
}
