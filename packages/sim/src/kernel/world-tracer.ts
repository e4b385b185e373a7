import type { Machine, TaskRecord } from './machine.js';

/** What a tracer reads of a scheduled event (the world's `ScheduledEvent`). */
export interface TracedEvent {
  /** When it was scheduled (ticks). */
  readonly createdAt: number;
  /** When it fires (ticks). */
  readonly time: number;
  readonly kind: number;
  readonly owner: Machine | null;
  readonly label: string;
}

/**
 * What the simulator tells a tracer about one execution. The world holds none (null) unless that
 * execution is traced, so every hook site costs one null check when tracing is off. A tracer only
 * watches: it draws nothing from the generator and schedules nothing, so the execution is the same.
 */
export interface WorldTracer {
  /** `ev` was scheduled (by the task running now, if any). */
  scheduled(ev: TracedEvent): void;
  /** `ev` fires now. */
  fired(ev: TracedEvent): void;
  /** A task was spawned; `runTask` will start its body. */
  taskSpawned(task: TaskRecord): void;
  /** Runs a task's body so that whatever it schedules is attributed to it. */
  runTask<T>(task: TaskRecord, body: () => Promise<T>): Promise<T>;
  /** The task's body settled. */
  taskEnded(task: TaskRecord): void;
  /** The machine's incarnation ends (crash, kill or graceful stop): its unfinished tasks end with it. */
  machineStopped(machine: Machine): void;
  /** Bytes (`bytes`; -1 for the FIN) left `from` for `to`; `message` identifies them until delivery or loss. */
  messageSent(message: object, from: Machine, to: Machine, bytes: number, connection: number): void;
  /** The message reached its receiver now. */
  messageDelivered(message: object): void;
  /** The message was discarded in flight (reset, crash, silent close). */
  messageLost(message: object): void;
  /** The simulator injected a fault (the entry it writes to the `sim:faults` log). */
  fault(event: { readonly type: string }): void;
}
