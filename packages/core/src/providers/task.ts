export type TaskStatus = 'running' | 'done' | 'failed';

/** A local task started with `TaskProvider.spawn`. */
export interface TaskHandle<T> {
  readonly name: string;
  status(): TaskStatus;
  /** Settles with the task's result. Joining a task also takes responsibility for its failure. */
  join(): Promise<T>;
}

export interface TaskProvider {
  /** Starts `fn` as a named local task (the name shows in traces and diagnostics). */
  spawn<T>(name: string, fn: () => Promise<T>): TaskHandle<T>;
  /** Lets every other runnable task run before continuing. */
  yieldNow(): Promise<void>;
}
