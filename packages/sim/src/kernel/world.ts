import { eventKindName } from './event-kind.js';
import { EventQueue, type SimEvent } from './event-queue.js';
import type { IterationFailure } from './failure.js';
import { SimRng } from './rng.js';
import type { Machine, TaskRecord } from './machine.js';
import { type ProgressCell, watchedProgress } from './progress-cell.js';
import { ticksToMs } from './ticks.js';
import { TraceHash } from './trace.js';
import type { WorldTracer } from './world-tracer.js';

/** A scheduled event: an action run at a simulated instant on behalf of an owner. */
export class ScheduledEvent implements SimEvent {
  cancelled = false;
  constructor(
    /** When it was scheduled (ticks): diagnostics show how long a wait has been pending. */
    readonly createdAt: number,
    readonly time: number,
    readonly seq: number,
    readonly kind: number,
    readonly owner: Machine | null,
    readonly generation: number,
    /** Returns `false` when it provably resumed no user code (the executor then skips the drain). */
    readonly action: () => boolean | void,
    /**
     * Counted by the settle phase: the system is not settled while such events are pending. Cleared
     * when its workload machine has no task left (a losing sleep nobody waits for).
     */
    public settles: boolean,
    readonly label: string,
  ) {}
  /** Unref'd (a Node timer's `unref()`): it neither keeps the iteration alive nor counts for settle. */
  weak = false;
}

/** Caps on one iteration beyond which it fails as runaway (set with `setLimits`). */
export interface WorldLimits {
  /** Events processed per iteration before it fails as runaway. */
  maxEvents: number;
  /** Simulated time per iteration, in ms, before it fails as runaway. */
  maxSimTimeMs: number;
}

/** The limits used unless `setLimits` changes them: 5 000 000 events and 86 400 000 ms (24 h) of simulated time. */
export const DEFAULT_LIMITS: WorldLimits = { maxEvents: 5_000_000, maxSimTimeMs: 86_400_000 };

/**
 * The simulated world's state: logical time, the event queue, the seeded generator, the machines
 * and their tasks, and the iteration's failure if any. The executor drives it.
 */
export class SimWorld {
  /** Current simulated time in ticks (µs). */
  now = 0;
  private seq = 0;
  eventsProcessed = 0;
  readonly queue = new EventQueue<ScheduledEvent>();
  readonly rng: SimRng;
  readonly trace = new TraceHash();
  readonly machines: Machine[] = [];
  /** Pending events that the settle phase waits for. */
  settleEvents = 0;
  /** Waits on things the simulator does not manage (real I/O); while any are open, time stands still. */
  foreignWaits = 0;
  /** Scheduled events not yet fired or cancelled (of dead incarnations too, until they are popped). */
  liveEvents = 0;
  /** Those of `liveEvents` that are weak (unref'd). */
  weakEvents = 0;
  /**
   * The machine whose code runs now: the owner of the event being processed (or the machine an
   * ownerless event woke, such as a delivery's receiver); null for the simulator's own code. Code
   * that asks "who is calling" (Node's timers in hermetic mode) reads it.
   */
  current: Machine | null = null;
  /**
   * False while the executor has handed the thread to real macrotasks (probes for real I/O, the end
   * of the iteration): code running then is not simulated code.
   */
  simulating = true;
  /**
   * When set, a task spawned while another machine's code runs does not start on the next microtask:
   * it waits in `taskStarts` until the spawning drain is over, and the executor starts the waiting
   * tasks one drain each, in spawn order, before the next event. So every drain runs one machine's
   * code and `current` is exact (without it, tasks of several machines started together interleave
   * at every resolved `await`). Hermetic mode sets it.
   */
  separateMachineStarts = false;
  private readonly taskStarts: { owner: Machine; go: () => void }[] = [];
  /** First failure of the iteration (task error, deadlock, runaway, invariant...). */
  failure: IterationFailure | null = null;
  readonly traceLog: ((line: string) => void) | null;
  /** Where a watchdog thread sees this world move (null: nobody watches). */
  private readonly progress: ProgressCell | null = watchedProgress();
  /** Called for every processed event after it entered the trace hash (the determinism check records runs). */
  onEvent: ((ev: ScheduledEvent) => void) | null = null;
  /** Watches this execution for a trace file; null (the usual case) when it is not traced. */
  tracer: WorldTracer | null = null;

  constructor(
    seed: bigint | number,
    readonly limits: WorldLimits = DEFAULT_LIMITS,
    traceLog: ((line: string) => void) | null = null,
  ) {
    this.rng = new SimRng(seed);
    this.traceLog = traceLog;
  }

  nowMs(): number {
    return ticksToMs(this.now);
  }

  addMachine(p: Machine): void {
    p.index = this.machines.length;
    this.machines.push(p);
    this.progress?.machineAdded(p.index, p.ip, p.name);
  }

  /** Schedules `action` after `delayTicks` on behalf of `owner` (null: the simulator itself). */
  schedule(
    delayTicks: number,
    kind: number,
    owner: Machine | null,
    action: () => boolean | void,
    label = '',
    settles = owner?.kind === 'workload',
  ): ScheduledEvent {
    const ev = new ScheduledEvent(
      this.now,
      this.now + delayTicks,
      this.seq++,
      kind,
      owner,
      owner ? owner.generation : 0,
      action,
      settles,
      label,
    );
    if (owner) owner.pendingEvents++;
    if (settles) this.settleEvents++;
    this.liveEvents++;
    this.queue.push(ev);
    if (this.tracer !== null) this.tracer.scheduled(ev);
    return ev;
  }

  /**
   * Makes a pending event weak (unref'd) or strong again. A weak event does not count for settle, and
   * when only weak events remain the executor treats the world as idle after a grace period.
   */
  setWeak(ev: ScheduledEvent, weak: boolean): void {
    if (ev.cancelled || ev.weak === weak) return;
    ev.weak = weak;
    this.weakEvents += weak ? 1 : -1;
    const settles = !weak && ev.owner?.kind === 'workload';
    if (settles !== ev.settles) {
      ev.settles = settles;
      this.settleEvents += settles ? 1 : -1;
    }
  }

  /** Cancelled events still in the queue (tombstones). */
  private tombstones = 0;

  /** Cancels a scheduled event; it will be skipped without advancing time. */
  cancel(ev: ScheduledEvent): void {
    if (ev.cancelled) return;
    ev.cancelled = true;
    this.release(ev);
    // Timeouts that lose their race leave tombstones; purge them once they outnumber live events.
    if (++this.tombstones > 1024 && this.tombstones * 2 > this.queue.size) {
      this.queue.retain((e) => !e.cancelled);
      this.tombstones = 0;
    }
  }

  private release(ev: ScheduledEvent): void {
    if (ev.owner) ev.owner.pendingEvents--;
    if (ev.settles) this.settleEvents--;
    if (ev.weak) this.weakEvents--;
    this.liveEvents--;
  }

  /**
   * `owner` has no task left: its pending events no longer hold the settle phase back (a timer that
   * lost a race, a timeout nobody awaits). They still fire when their time comes.
   */
  abandonSettleEventsOf(owner: Machine): void {
    for (const ev of this.queue.items()) {
      if (ev.owner === owner && ev.settles && !ev.cancelled) {
        ev.settles = false;
        this.settleEvents--;
      }
    }
  }

  /** Cancels every pending event of `owner` (used when it is killed). */
  cancelEventsOf(owner: Machine): void {
    // Collected first: cancelling may compact the queue under the iteration.
    const owned = this.queue.items().filter((ev) => ev.owner === owner);
    for (const ev of owned) this.cancel(ev);
  }

  /** Pops the next event that should happen, dropping cancelled ones. */
  popLive(): ScheduledEvent | undefined {
    for (;;) {
      const ev = this.queue.pop();
      if (ev === undefined) return undefined;
      if (ev.cancelled) {
        this.tombstones--;
        continue;
      }
      this.release(ev);
      ev.cancelled = true;
      if (ev.owner && !ev.owner.isLive(ev.generation)) continue;
      return ev;
    }
  }

  /** Advances to `ev`, records it in the trace hash and log, and runs it; false if it woke nothing. */
  fire(ev: ScheduledEvent): boolean {
    this.now = ev.time;
    this.current = ev.owner;
    this.eventsProcessed++;
    this.trace.add(ev.time, ev.kind, ev.seq, this.rng.calls);
    if (this.progress !== null) this.progress.event(ev.time, ev.kind, ev.owner === null ? -1 : ev.owner.index);
    if (this.onEvent !== null) this.onEvent(ev);
    if (this.tracer !== null) this.tracer.fired(ev);
    if (this.traceLog) {
      const who = ev.owner ? ev.owner.ip : 'sim';
      this.traceLog(
        `[${ticksToMs(ev.time).toFixed(3)}ms #${ev.seq} ${who}] ${eventKindName(ev.kind)}${ev.label ? ` ${ev.label}` : ''}`,
      );
    }
    return ev.action() !== false;
  }

  /** Resolves when the executor starts `owner`'s task in a drain of its own (see `separateMachineStarts`). */
  queueTaskStart(owner: Machine): Promise<void> {
    return new Promise<void>((go) => this.taskStarts.push({ owner, go }));
  }

  /** Lets the first waiting task start (its code runs in the drain that follows); false if none waits. */
  startNextTask(): boolean {
    const next = this.taskStarts.shift();
    if (next === undefined) return false;
    this.current = next.owner;
    next.go();
    return true;
  }

  get tasksWaitingToStart(): number {
    return this.taskStarts.length;
  }

  /** Records the iteration's first failure; the executor stops at its next step. */
  fail(failure: IterationFailure): void {
    if (this.failure === null) this.failure = failure;
  }

  /** Unfinished tasks of live machines, for deadlock and settle diagnostics. */
  waitingTasks(): TaskRecord[] {
    const out: TaskRecord[] = [];
    for (const p of this.machines) if (p.alive) for (const t of p.tasks) out.push(t);
    return out;
  }
}
