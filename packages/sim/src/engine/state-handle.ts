/** Latest published snapshots, shared by workloads, processes and invariants of one iteration. */
export class StateHandle {
  private readonly values = new Map<string, unknown>();

  publish<T>(key: string, value: T): void {
    this.values.set(key, value);
  }

  /** The latest value published under `key`, typed by the caller. */
  get<T>(key: string): T | undefined {
    return this.values.get(key) as T | undefined;
  }

  has(key: string): boolean {
    return this.values.has(key);
  }
}
