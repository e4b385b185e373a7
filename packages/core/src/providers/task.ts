/** Where a task is: `'running'` until it settles, then `'done'` (resolved) or `'failed'` (rejected). */
export type TaskStatus = 'running' | 'done' | 'failed';

/** A local task started with `TaskProvider.spawn`. */
export interface TaskHandle<T> {
  /** The name given to `spawn`, as shown in traces and diagnostics. */
  readonly name: string;
  /** `'running'` until the task settles, then `'done'` or `'failed'`. */
  status(): TaskStatus;
  /** Settles with the task's result. Joining a task also takes responsibility for its failure. */
  join(): Promise<T>;
}

/** Local concurrency: plain promises on the event loop in production, scheduled by the simulator in a simulation. */
export interface TaskProvider {
  /** Starts `fn` as a named local task (the name shows in traces and diagnostics). */
  spawn<T>(name: string, fn: () => Promise<T>): TaskHandle<T>;
  /** Lets every other runnable task run before continuing. */
  yieldNow(): Promise<void>;
}
