/** Latest published snapshots, shared by workloads, processes and invariants of one iteration. */
export class StateHandle {
  private readonly values = new Map<string, unknown>();

  /** Stores `value` under `key`, replacing the previous value; readers see it at once. */
  publish<T>(key: string, value: T): void {
    this.values.set(key, value);
  }

  /** The latest value published under `key`, typed by the caller. */
  get<T>(key: string): T | undefined {
    return this.values.get(key) as T | undefined;
  }

  /** Whether anything was published under `key` in this iteration. */
  has(key: string): boolean {
    return this.values.has(key);
  }
}
