import { assertSometimes, type SimContext } from 'moonpool';
import type { KvStore } from '../kv/kv-store.js';
import { WriteAheadLog } from './write-ahead-log.js';

export interface DurableStoreOptions {
  /**
   * Acknowledge a mutation only once its record is synced. False is the seeded bug of
   * `kv-durable-nosync`: the reply goes out as soon as the record is written, and the sync follows.
   */
  readonly syncBeforeAck: boolean;
  /** Compact the log once it grows past this many bytes. */
  readonly compactAtBytes: number;
}

/**
 * A KV store kept in memory and logged to simulated disk. Mutations run one at a time, in the
 * order they were called, through a queue: append the record, sync it, then apply it to memory
 * and acknowledge. Memory therefore only ever shows durable state, so nothing a client has read or
 * been told can vanish in a crash. Boot replays the log (see `WriteAheadLog.open`).
 */
export class DurableKvStore implements KvStore {
  private queue: Promise<unknown> = Promise.resolve();
  private compactionQueued = false;

  private constructor(
    private readonly log: WriteAheadLog,
    readonly entries: Map<string, string>,
    private readonly options: DurableStoreOptions,
  ) {}

  static async open(ctx: SimContext, options: DurableStoreOptions, bootNumber: number): Promise<DurableKvStore> {
    const { log, recovered } = await WriteAheadLog.open(ctx.storage);
    assertSometimes(bootNumber > 1 && recovered.replayed > 0, 'wal replayed records after reboot');
    assertSometimes(recovered.damagedBytes > 0, 'wal cut off a torn tail');
    return new DurableKvStore(log, recovered.entries, options);
  }

  get(key: string): string | undefined {
    return this.entries.get(key);
  }

  set(key: string, value: string): Promise<boolean> {
    return this.mutate(key, value);
  }

  delete(key: string): Promise<boolean> {
    return this.mutate(key, null);
  }

  private mutate(key: string, value: string | null): Promise<boolean> {
    const { syncBeforeAck } = this.options;
    const acknowledged = this.enqueue(async () => {
      await this.log.append(key, value);
      if (syncBeforeAck) await this.log.sync();
      if (value === null) this.entries.delete(key);
      else this.entries.set(key, value);
      this.maybeCompact();
    });
    // The seeded bug: the sync is queued behind the write, but the acknowledgement does not wait for it.
    if (!syncBeforeAck) void this.enqueue(() => this.log.sync());
    return acknowledged.then(
      () => true,
      () => false,
    );
  }

  /** Queues a compaction behind the mutations already queued, once the log has grown enough. */
  private maybeCompact(): void {
    if (this.compactionQueued || this.log.size < this.options.compactAtBytes) return;
    this.compactionQueued = true;
    void this.enqueue(async () => {
      this.compactionQueued = false;
      await this.log.compact(this.entries);
      assertSometimes(true, 'wal compacted');
    });
  }

  /** Runs `step` after every step queued before it; a failed step does not stop the queue. */
  private enqueue<T>(step: () => Promise<T>): Promise<T> {
    const run = this.queue.then(step);
    this.queue = run.catch(() => {});
    return run;
  }
}
