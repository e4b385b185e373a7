import { eventKindName } from './event-kind.js';
import { EventQueue, type SimEvent } from './event-queue.js';
import type { IterationFailure } from './failure.js';
import { SimRng } from './rng.js';
import type { Machine, TaskRecord } from './machine.js';
import { ticksToMs } from './ticks.js';
import { TraceHash } from './trace.js';

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
}

export interface WorldLimits {
  /** Events processed per iteration before it fails as runaway. */
  maxEvents: number;
  /** Simulated time per iteration, in ms, before it fails as runaway. */
  maxSimTimeMs: number;
}

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
  /** First failure of the iteration (task error, deadlock, runaway, invariant...). */
  failure: IterationFailure | null = null;
  readonly traceLog: ((line: string) => void) | null;
  /** Called for every processed event after it entered the trace hash (the determinism check records runs). */
  onEvent: ((ev: ScheduledEvent) => void) | null = null;

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
    this.machines.push(p);
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
    this.queue.push(ev);
    return ev;
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
    this.eventsProcessed++;
    this.trace.add(ev.time, ev.kind, ev.seq, this.rng.calls);
    if (this.onEvent !== null) this.onEvent(ev);
    if (this.traceLog) {
      const who = ev.owner ? ev.owner.ip : 'sim';
      this.traceLog(
        `[${ticksToMs(ev.time).toFixed(3)}ms #${ev.seq} ${who}] ${eventKindName(ev.kind)}${ev.label ? ` ${ev.label}` : ''}`,
      );
    }
    return ev.action() !== false;
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
