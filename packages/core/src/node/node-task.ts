import type { TaskHandle, TaskProvider, TaskStatus } from '../providers/task.js';

/** Called when a task fails and nobody has joined it. */
export type UnobservedFailureHandler = (name: string, error: unknown) => void;

const logFailure: UnobservedFailureHandler = (name, error) => {
  console.error(`task ${JSON.stringify(name)} failed and was never joined:`, error);
};

class NodeTaskHandle<T> implements TaskHandle<T> {
  #status: TaskStatus = 'running';
  #joined = false;
  readonly #result: Promise<T>;

  constructor(
    readonly name: string,
    fn: () => Promise<T>,
    onUnobservedFailure: UnobservedFailureHandler,
  ) {
    // Start on a microtask so a synchronous throw becomes a failure, not a throw from spawn().
    this.#result = Promise.resolve().then(fn);
    this.#result.then(
      () => {
        this.#status = 'done';
      },
      (error: unknown) => {
        this.#status = 'failed';
        // Give a caller that joins right after the failure one turn before calling it unobserved.
        setImmediate(() => {
          if (!this.#joined) onUnobservedFailure(this.name, error);
        });
      },
    );
  }

  status(): TaskStatus {
    return this.#status;
  }

  join(): Promise<T> {
    this.#joined = true;
    return this.#result;
  }
}

/** Tasks as plain promises on the Node event loop. */
export class NodeTaskProvider implements TaskProvider {
  constructor(private readonly onUnobservedFailure: UnobservedFailureHandler = logFailure) {}

  spawn<T>(name: string, fn: () => Promise<T>): TaskHandle<T> {
    return new NodeTaskHandle(name, fn, this.onUnobservedFailure);
  }

  /** setImmediate runs after pending I/O callbacks, so other tasks get a turn. */
  yieldNow(): Promise<void> {
    return new Promise((resolve) => setImmediate(resolve));
  }
}
