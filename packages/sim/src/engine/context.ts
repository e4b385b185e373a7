import type {
  NetworkProvider,
  Providers,
  RandomProvider,
  StorageProvider,
  TimeProvider,
} from '@moonpool/core';
import type { Machine } from '../kernel/machine.js';
import type { SimTaskProvider } from '../providers/sim-task.js';
import type { ClusterControl } from './cluster-control.js';
import type { StateHandle } from './state-handle.js';
import type { EventLog, EventLogs } from './event-logs.js';
import type { Topology } from './topology.js';

/** Everything a process or workload gets from the simulation. */
export class SimContext {
  constructor(
    /** This machine's simulated providers; `time`, `task`, `network`, `random` and `storage` are shortcuts to them. */
    readonly providers: Providers & { readonly task: SimTaskProvider },
    /** IPs and tags of this machine and of the rest of the simulated cluster. */
    readonly topology: Topology,
    /** Snapshots shared by all workloads, processes and invariants of the iteration. */
    readonly state: StateHandle,
    private readonly machine: Machine,
    /** FoundationDB-style client id of a workload instance (0 for processes). */
    readonly clientId: number,
    private readonly eventLogs: EventLogs,
    private readonly nowMs: () => number,
    /** Deliberate faults: reboot processes, change a machine's storage configuration. */
    readonly cluster: ClusterControl,
  ) {}

  /** Aborted when the machine is asked to shut down gracefully. */
  get shutdown(): AbortSignal {
    return this.machine.shutdown.signal;
  }

  /** This machine's IP (`10.0.1.x` for processes, `10.0.0.x` for workloads). */
  get myIp(): string {
    return this.topology.myIp;
  }
  /** Simulated clock, sleeps and timeouts. */
  get time(): TimeProvider {
    return this.providers.time;
  }
  /** Spawns tasks on this machine (they die with it on a reboot). */
  get task(): SimTaskProvider {
    return this.providers.task;
  }
  /** Simulated TCP: listen and connect from this machine's IP. */
  get network(): NetworkProvider {
    return this.providers.network;
  }
  /** Deterministic random numbers drawn from the iteration's seed. */
  get random(): RandomProvider {
    return this.providers.random;
  }
  /** This machine's simulated file system (kept across reboots, unless wiped). */
  get storage(): StorageProvider {
    return this.providers.storage;
  }

  /** Appends `event` to the event log `key`, stamped with time, this machine's IP and a global order. */
  emit<E>(key: string, event: E): void {
    this.eventLogs.emit(key, event, this.nowMs(), this.myIp);
  }

  /** Read access to the event log `key` (empty if nothing was emitted to it yet). */
  eventLog<E>(key: string): EventLog<E> {
    return this.eventLogs.log<E>(key);
  }

  /** IP of the process or workload named `name`. */
  peer(name: string): string | undefined {
    return this.topology.peer(name);
  }
}

/** A server of the system under test. Built by a factory at every boot; all memory is lost on reboot. */
export interface Process {
  /** Name of the process, as `peer(name)` finds it. */
  readonly name: string;
  /** Runs until shutdown. Returning is a voluntary exit; a crash means it simply never continues. */
  run(ctx: SimContext): Promise<void>;
}

/**
 * What a process factory is told about the process it builds (the same on every reboot), so roles can be
 * chosen when the process is built instead of inside `run`.
 */
export interface ProcessSpawn {
  /** Position among the processes of the same `.processes(...)` call, from 0. */
  readonly index: number;
  /** The process's IP (also `ctx.myIp` once it runs). */
  readonly ip: string;
  /** Its tags from `.tags(...)` (round-robin over all processes); empty when no tags are declared. */
  readonly tags: Readonly<Record<string, string>>;
}

/** Builds a fresh process object for each boot; factories that take no argument keep working. */
export type ProcessFactory = (spawn: ProcessSpawn) => Process;

/** A test driver. Survives every reboot; phases: setup (sequential), run (concurrent), check (sequential). */
export interface Workload {
  /** Name of the workload, as `peer(name)` finds it. */
  readonly name: string;
  /** Optional; runs before any `run`, one workload after another. */
  setup?(ctx: SimContext): Promise<void>;
  /** The test's main body; all workloads run concurrently, with fault injectors during the chaos phase. */
  run(ctx: SimContext): Promise<void>;
  /** Optional; runs after the system settled, one workload after another. Throwing fails the iteration. */
  check?(ctx: SimContext): Promise<void>;
}

/** A property checked after every simulation event; throwing fails the iteration. */
export interface Invariant {
  /** Name used in the failure report. */
  readonly name: string;
  /** Throws when the property is violated; `simTimeMs` is the current simulated time in ms. */
  check(state: StateHandle, simTimeMs: number): void;
}
