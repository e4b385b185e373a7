/**
 * Where a KV server keeps its data. `get` is synchronous: it reads what has been applied. A
 * mutation resolves true once applied (and, for a durable store, on disk), false if it could not be
 * (a storage error): the server then answers with an error and the client retries. A mutation must be
 * queued synchronously when called, so that mutations apply in the order the server received them.
 */
export interface KvStore {
  get(key: string): string | undefined;
  set(key: string, value: string): Promise<boolean>;
  delete(key: string): Promise<boolean>;
  /** Everything applied, for invariants. */
  readonly entries: ReadonlyMap<string, string>;
}

/** A store in memory: everything is lost when the process reboots. */
export class MemoryKvStore implements KvStore {
  readonly entries = new Map<string, string>();

  get(key: string): string | undefined {
    return this.entries.get(key);
  }

  set(key: string, value: string): Promise<boolean> {
    this.entries.set(key, value);
    return Promise.resolve(true);
  }

  delete(key: string): Promise<boolean> {
    this.entries.delete(key);
    return Promise.resolve(true);
  }
}
