/**
 * Why an iteration failed. One union for every way a timeline can fail, so reports and tools can
 * tell them apart by `kind`; the human-readable message is derived from it (`describeFailure`).
 */
export type IterationFailure =
  /** Nothing is scheduled, yet tasks still wait. */
  | { readonly kind: 'deadlock'; readonly atMs: number; readonly waitingTasks: readonly string[] }
  /**
   * Nothing simulated is scheduled while tasks wait, and real work the simulator does not manage
   * (a real file read, socket or timer, named as `process.getActiveResourcesInfo()` names it) is pending.
   */
  | {
      readonly kind: 'real-io';
      readonly atMs: number;
      readonly resources: readonly string[];
      readonly waitingTasks: readonly string[];
    }
  /** Too many events, or simulated time beyond the limit. */
  | { readonly kind: 'runaway'; readonly limit: 'events'; readonly maxEvents: number }
  | {
      readonly kind: 'runaway';
      readonly limit: 'simulated-time';
      readonly maxSimTimeMs: number;
      readonly nextEvent: string;
    }
  /** Workload events remained after the settle phase's time. */
  | {
      readonly kind: 'settle-timeout';
      readonly timeoutMs: number;
      readonly busyTasks: readonly string[];
      readonly pendingEvents: readonly PendingEvent[];
    }
  /** A task nobody joined threw. */
  | {
      readonly kind: 'task-threw';
      readonly task: string;
      readonly ip: string;
      readonly machine: string;
      readonly error: string;
    }
  /** A workload's setup, run or check threw. */
  | {
      readonly kind: 'workload-threw';
      readonly workload: string;
      readonly phase: 'setup' | 'run' | 'check';
      readonly error: string;
    }
  /** An invariant threw after an event. */
  | { readonly kind: 'invariant'; readonly invariant: string; readonly atMs: number; readonly error: string }
  /** Always-style assertions failed (recorded, not thrown). */
  | { readonly kind: 'always-violation'; readonly violations: readonly string[] }
  /** An error no awaited chain received: a rejection nobody handled, or a throw in a callback. */
  | {
      readonly kind: 'detached-error';
      readonly origin: 'unhandled-rejection' | 'uncaught-exception';
      readonly error: string;
    }
  /** Run again, the same execution (seed, recipe) gave another trace: the reproduce command may not reproduce. */
  | {
      readonly kind: 'nondeterminism';
      /** The trace hashes of the run and of its re-run. */
      readonly hashes: readonly [string, string];
      /** Where recorded re-runs first parted; null when they all agreed (the divergence did not recur). */
      readonly divergence: Divergence | null;
    }
  /** The simulation itself threw (for example a misconfiguration found while it ran). */
  | { readonly kind: 'simulation-error'; readonly error: string };

/** The `kind` of an {@link IterationFailure}: `'deadlock'`, `'runaway'`, `'invariant'`, … */
export type FailureKind = IterationFailure['kind'];

/** A scheduled event that was still pending when an iteration failed, for the diagnostics. */
export interface PendingEvent {
  /** The event's kind (`Timer`, `NetworkDelivery`, …) and label, if any. */
  readonly kind: string;
  /** Free text the scheduler attached (a task or file name, for example); empty when there is none. */
  readonly label: string;
  /** The IP of the machine that owns it (`sim` for the simulator's own). */
  readonly machine: string;
  /** Simulated time, in ms, when it was scheduled. */
  readonly createdAtMs: number;
  /** Simulated time, in ms, when it was due to run. */
  readonly dueAtMs: number;
}

function describePending(e: PendingEvent): string {
  const what = e.label === '' ? e.kind : `${e.kind} ${e.label}`;
  return `${e.machine} ${what} (created at ${e.createdAtMs} ms, due at ${e.dueAtMs} ms, after ${e.dueAtMs - e.createdAtMs} ms)`;
}

/** An event as a recorded run processed it, for nondeterminism diagnostics. */
export interface RecordedEvent {
  /** Its position among the iteration's processed events (0-based). */
  readonly index: number;
  /** Simulated time, in ms, at which it ran. */
  readonly atMs: number;
  /** Its scheduling number in the iteration (events due at the same time run in this order). */
  readonly seq: number;
  /** The event's kind (`Timer`, `NetworkDelivery`, …). */
  readonly kind: string;
  /** Free text the scheduler attached (a task or file name, for example); empty when there is none. */
  readonly label: string;
  /** The IP of the machine that owns it (`sim` for the simulator's own). */
  readonly machine: string;
  /** Generator draws (since the last reseed) when the event was processed. */
  readonly draws: number;
}

/**
 * The first difference between two runs of one execution. `event`: the event at `index` differs (its
 * time, sequence number, kind, machine, label or the draws made before it), or one run has no such
 * event (null). `data`: every event up to `index` agrees, but the bytes delivered or written while
 * the event at `index` was handled differ. `end`: every event agrees; what followed the last one differs.
 */
export interface Divergence {
  /** What differs: an event, the data handled at an event, or what followed the last event. */
  readonly cause: 'event' | 'data' | 'end';
  /** Position (0-based) of the first event where the runs part. */
  readonly index: number;
  /** The event at `index` in the earlier of the two runs compared; null when it had no such event. */
  readonly first: RecordedEvent | null;
  /** The event at `index` in the later run; null when it had no such event. */
  readonly second: RecordedEvent | null;
}

function describeEvent(e: RecordedEvent | null): string {
  if (e === null) return '(no such event)';
  const what = e.label === '' ? e.kind : `${e.kind} ${e.label}`;
  return `${what} at ${e.atMs} ms (seq ${e.seq}, machine ${e.machine}, after ${e.draws} draws)`;
}

function describeDivergence(d: Divergence | null): string {
  if (d === null) return 'the recorded re-runs agreed, so the first differing event is unknown';
  const nth = `event ${d.index + 1}`;
  if (d.cause === 'event') {
    return `${nth} differs: ${describeEvent(d.first)} in one run, ${describeEvent(d.second)} in another`;
  }
  if (d.cause === 'data') {
    return `the events agree up to ${nth}, ${describeEvent(d.first)}, but the bytes delivered or written while it ran differ`;
  }
  const last = d.first === null ? 'no event was processed' : `every event agrees (the last: ${describeEvent(d.first)})`;
  return `${last}; what followed differs (bytes, draws or the generator's state)`;
}

type Describe = { [K in FailureKind]: (f: Extract<IterationFailure, { kind: K }>) => string };

const describe: Describe = {
  deadlock: (f) =>
    `deadlock: nothing is scheduled at ${f.atMs} ms but ${f.waitingTasks.length} task(s) still wait: ${f.waitingTasks.join(', ') || '(none)'}`,
  'real-io': (f) =>
    `real I/O: at ${f.atMs} ms nothing simulated is scheduled but real work is pending (${f.resources.join(', ')}); ` +
    `${f.waitingTasks.length} task(s) wait: ${f.waitingTasks.join(', ') || '(none)'}. Simulated code must do its I/O ` +
    'through ctx.storage and ctx.network (or wait for outside work with ctx.task.external)',
  runaway: (f) =>
    f.limit === 'events'
      ? `runaway: more than ${f.maxEvents} events in one iteration`
      : `runaway: simulated time passed the limit of ${f.maxSimTimeMs} ms (next event ${f.nextEvent})`,
  'settle-timeout': (f) =>
    `settle timeout: the system did not settle within ${f.timeoutMs} simulated ms; ` +
    `workload tasks still running: ${f.busyTasks.join(', ') || '(none)'}; ` +
    `pending events: ${f.pendingEvents.map(describePending).join(', ') || '(none)'}`,
  'task-threw': (f) => `task "${f.task}" on ${f.ip} (${f.machine}) failed: ${f.error}`,
  'workload-threw': (f) => `workload "${f.workload}" ${f.phase} failed: ${f.error}`,
  invariant: (f) => `invariant "${f.invariant}" violated at ${f.atMs} ms: ${f.error}`,
  'always-violation': (f) => `always-assertion violated: ${f.violations.join('; ')}`,
  'detached-error': (f) =>
    `${f.origin === 'unhandled-rejection' ? 'a rejected promise nobody handled' : 'an exception nobody caught'}: ${f.error}`,
  nondeterminism: (f) =>
    `nondeterminism: the same execution gave trace hashes ${f.hashes[0]} and ${f.hashes[1]}; ${describeDivergence(f.divergence)}`,
  'simulation-error': (f) => f.error,
};

/** The failure as one line (plus the error's stack, when it has one) for people. */
export function describeFailure(failure: IterationFailure): string {
  return (describe[failure.kind] as (f: IterationFailure) => string)(failure);
}

/** Thrown through the awaited chain to end an iteration with a typed failure. */
export class IterationFailedError extends Error {
  constructor(readonly failure: IterationFailure) {
    super(describeFailure(failure));
    this.name = 'IterationFailedError';
  }
}
