import type { TaskStatus } from '@moonpool/core';

/** Who owns a wait: the system under test, a test driver, or the simulator itself. */
export type OwnerKind = 'process' | 'workload' | 'system';

/**
 * Book-keeping for one simulated machine (a process or a workload). Every wait ("leaf") and every
 * task belongs to one. Killing it bumps `generation`: waits of older generations are never resolved,
 * so nothing of the killed incarnation runs again.
 */
export class Machine {
  generation = 0;
  alive = true;
  /** True once `run` returned (a voluntary exit); the machine stays up but runs nothing. */
  exited = false;
  private shutdownController: AbortController | null = null;
  /** How far this machine's `timer()` runs ahead of `now()`, in ticks. */
  driftTicks = 0;
  /** Unfinished tasks of the current generation. */
  readonly tasks = new Set<TaskRecord>();
  /** Scheduled, uncancelled events owned by this machine. */
  pendingEvents = 0;
  /** Position in its world's machines (set when added): how a watchdog names the owner of an event. */
  index = -1;

  constructor(
    readonly ip: string,
    readonly name: string,
    readonly kind: OwnerKind,
  ) {}

  /** Ends the current incarnation: its waits never resolve and its tasks are forgotten. */
  kill(): void {
    this.alive = false;
    this.generation++;
    if (this.tasks.size > 0) this.tasks.clear(); // most have none left: every iteration kills every machine
  }

  /** Starts a new incarnation. */
  revive(): void {
    this.alive = true;
    this.exited = false;
    this.generation++;
    this.shutdownController = null;
    this.tasks.clear();
  }

  /** Graceful-shutdown signal of the current incarnation (created on first use: most are never read). */
  get shutdown(): AbortController {
    this.shutdownController ??= new AbortController();
    return this.shutdownController;
  }

  isLive(generation: number): boolean {
    return this.alive && this.generation === generation;
  }
}

/** A task running inside the simulation: an async function, a name, and its owner. */
export class TaskRecord {
  status: TaskStatus = 'running';
  /** Someone called `join()`: failures go to them instead of failing the iteration. */
  joined = false;

  constructor(
    readonly name: string,
    readonly owner: Machine,
    readonly generation: number,
  ) {}

  describe(): string {
    return `${this.owner.ip} ${this.owner.name}/${this.name}`;
  }
}
