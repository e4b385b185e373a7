import { describeError } from '@moonpool/core';
import { eventKindName } from './event-kind.js';
import { IterationFailedError, type IterationFailure } from './failure.js';
import { SETTLED } from './tasks.js';
import { msToTicks } from './ticks.js';
import type { SimWorld } from './world.js';

/**
 * Runs the world until `root` settles, one event at a time, never processing the next event while
 * continuations of the previous one are pending.
 *
 * How it knows: after firing an event the executor queues one microtask that schedules a
 * `process.nextTick`. Node drains the whole microtask queue before it runs ticks, so when the tick
 * runs, every promise continuation the event caused has run — unless user code queued ticks of its
 * own (streams do), which a counting wrapper around `process.nextTick` reveals; then the executor
 * goes round once more. That costs a fraction of a microsecond per event and needs no macrotask.
 * Only when a task waits on something the simulator does not manage (registered through
 * `SimTaskProvider.external`, or suspected because nothing is scheduled while tasks still wait) does
 * it fall back to `setImmediate` probes, which let real I/O complete while simulated time stands still.
 */
export class Executor {
  private finish: ((outcome: ExecutorOutcome) => void) | null = null;
  private rootDone = false;
  private rootFailure: IterationFailure | null = null;
  private ticksSeen = 0;
  private idleProbes = 0;
  /** Since when (ticks) only weak (unref'd) events have been pending; -1 while strong ones are. */
  private weakOnlySince = -1;
  /** Real resources (`process.getActiveResourcesInfo()`) alive before the iteration's code ran. */
  private realResourcesBefore: string[] = [];
  /** Runs after every event once its continuations have run (invariants); throwing fails the iteration. */
  afterEvent: (() => void) | null = null;
  /** Runs when the world is quiescent with no settle-relevant events (the settle phase's wake-up). */
  onSettled: (() => void) | null = null;

  private readonly maxTicks: number;

  constructor(private readonly world: SimWorld) {
    this.maxTicks = msToTicks(world.limits.maxSimTimeMs);
  }

  run(root: Promise<unknown>): Promise<ExecutorOutcome> {
    return new Promise<ExecutorOutcome>((resolve) => {
      this.finish = resolve;
      root.then(
        () => {
          this.rootDone = true;
        },
        (err: unknown) => {
          this.rootDone = true;
          this.rootFailure =
            err instanceof IterationFailedError
              ? err.failure
              : { kind: 'simulation-error', error: describeError(err) };
        },
      );
      this.realResourcesBefore = process.getActiveResourcesInfo();
      this.world.simulating = true;
      tickCounter.install();
      this.ticksSeen = tickCounter.ran;
      this.arm();
    });
  }

  private arm(): void {
    SETTLED.then(this.armTick);
  }

  private readonly armTick = (): void => {
    tickCounter.realNextTick(this.step);
  };

  private readonly step = (): void => {
    // User ticks queued or run since we armed: their continuations may still be pending.
    if (tickCounter.pending > 0 || tickCounter.ran !== this.ticksSeen) {
      this.ticksSeen = tickCounter.ran;
      this.arm();
      return;
    }
    const world = this.world;
    world.simulating = true;
    // Tasks spawned by the last drain start one drain each before anything else happens.
    if (world.tasksWaitingToStart > 0 && world.failure === null && !this.rootDone && world.startNextTask()) {
      this.arm();
      return;
    }
    // Events that provably resumed no user code (they return false) need no drain: keep going.
    for (;;) {
      if (this.afterEvent && world.eventsProcessed > 0 && world.failure === null) {
        try {
          this.afterEvent();
        } catch (err) {
          world.fail(
            err instanceof IterationFailedError
              ? err.failure
              : { kind: 'simulation-error', error: describeError(err, { stack: false }) },
          );
        }
      }
      if (world.failure !== null || this.rootDone) {
        this.done();
        return;
      }
      if (world.foreignWaits > 0) {
        this.yieldToRealWork();
        return;
      }
      if (this.onSettled && world.settleEvents === 0) {
        const wake = this.onSettled;
        this.onSettled = null;
        wake();
        this.arm();
        return;
      }
      if (world.weakEvents > 0 && world.liveEvents === world.weakEvents && this.onlyWeakTooLong()) {
        this.idle();
        return;
      }
      const ev = world.popLive();
      if (ev === undefined) {
        this.idle();
        return;
      }
      this.idleProbes = 0;
      if (!ev.weak) this.weakOnlySince = -1;
      if (world.eventsProcessed >= world.limits.maxEvents) {
        world.fail({ kind: 'runaway', limit: 'events', maxEvents: world.limits.maxEvents });
        this.done();
        return;
      }
      if (ev.time > this.maxTicks) {
        world.fail({
          kind: 'runaway',
          limit: 'simulated-time',
          maxSimTimeMs: world.limits.maxSimTimeMs,
          nextEvent: eventKindName(ev.kind),
        });
        this.done();
        return;
      }
      if (world.fire(ev)) {
        this.arm();
        return;
      }
    }
  };

  /**
   * Only unref'd events are pending. Node would exit if nothing else kept it alive, but here a socket
   * wait does not show as a handle, and such timers (a client's request timeout) may be what ends
   * the wait: they keep firing until a grace period has passed, then the world counts as idle.
   */
  private onlyWeakTooLong(): boolean {
    const now = this.world.now;
    if (this.weakOnlySince < 0) this.weakOnlySince = now;
    return now - this.weakOnlySince >= WEAK_GRACE_TICKS;
  }

  /** Lets real macrotasks run (outside simulated code) and steps again after them. */
  private yieldToRealWork(): void {
    this.world.simulating = false;
    realSetImmediate(this.step);
  }

  /**
   * Nothing is scheduled but the root has not finished. Real work started by simulated code (a real
   * file read, socket or timer) is named as such at once: waiting for it would make the verdict
   * depend on the host's timing. Otherwise give unmanaged work a chance, then call it a deadlock.
   */
  private idle(): void {
    const world = this.world;
    const resources = startedSince(this.realResourcesBefore, process.getActiveResourcesInfo());
    if (resources.length > 0) {
      const waitingTasks = world.waitingTasks().map((t) => t.describe());
      world.fail({ kind: 'real-io', atMs: world.nowMs(), resources, waitingTasks });
      this.done();
      return;
    }
    if (this.idleProbes < IDLE_PROBES) {
      this.idleProbes++;
      this.yieldToRealWork();
      return;
    }
    const waitingTasks = world.waitingTasks().map((t) => t.describe());
    world.fail({ kind: 'deadlock', atMs: world.nowMs(), waitingTasks });
    this.done();
  }

  private done(): void {
    this.world.simulating = false;
    tickCounter.uninstall();
    if (this.rootFailure !== null) this.world.fail(this.rootFailure);
    // Node reports a rejection nobody handled only once its tick queue is empty, which the drain
    // barrier never lets happen: one macrotask turn lets it be reported (and attributed to this
    // world, still the running one) before the iteration's outcome is final.
    realSetImmediate(this.finishNow);
  }

  private readonly finishNow = (): void => {
    const finish = this.finish;
    this.finish = null;
    finish?.({ failure: this.world.failure });
  };
}

export interface ExecutorOutcome {
  failure: IterationFailure | null;
}

/** `setImmediate` rounds granted to unmanaged work before an empty queue is declared a deadlock. */
const IDLE_PROBES = 2;

/** Simulated time only unref'd timers may keep firing while tasks wait (longer than common client timeouts). */
const WEAK_GRACE_TICKS = msToTicks(600_000);

// Taken when the kernel loads: hermetic mode replaces the global while simulated code runs, and the
// executor's probes must stay real macrotasks.
const realSetImmediate = setImmediate;

/** The resources in `now` beyond those in `before` (a multiset difference), as `name` or `name ×n`. */
function startedSince(before: readonly string[], now: readonly string[]): string[] {
  if (now.length === 0) return [];
  const counts = new Map<string, number>();
  for (const name of now) counts.set(name, (counts.get(name) ?? 0) + 1);
  for (const name of before) counts.set(name, (counts.get(name) ?? 0) - 1);
  const out: string[] = [];
  for (const [name, n] of [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (n > 0) out.push(n === 1 ? name : `${name} ×${n}`);
  }
  return out;
}

type NextTick = typeof process.nextTick;

/** Counts `process.nextTick` callbacks queued by user code while a simulation runs. */
const tickCounter = {
  realNextTick: process.nextTick,
  pending: 0,
  ran: 0,
  installed: 0,
  install(): void {
    if (this.installed++ > 0) return;
    const real = this.realNextTick;
    process.nextTick = function countedNextTick(cb: (...a: unknown[]) => void, ...args: unknown[]) {
      tickCounter.pending++;
      real(() => {
        tickCounter.pending--;
        tickCounter.ran++;
        cb(...args);
      });
    } as NextTick;
  },
  uninstall(): void {
    if (--this.installed > 0) return;
    process.nextTick = this.realNextTick;
  },
};
