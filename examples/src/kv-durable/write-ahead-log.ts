import { IoError, type StorageFile, type StorageProvider } from 'moonpool';
import { encodeEntry } from './wal-entry.js';
import { type RecoveredLog, recoverLog } from './wal-recovery.js';

export const LOG_PATH = 'kv.wal';
/** A compacted log being written; renamed over the log once complete and synced. */
export const COMPACT_PATH = 'kv.wal.compact';

/** Tries of a write whose read-back differs (a write fault, or a read fault on the check). */
const WRITE_TRIES = 4;
/** Tries of a sync that reports an I/O error (the unsynced writes stay pending and are retried). */
const SYNC_TRIES = 3;

/**
 * An append-only log of mutations in one file. Each record is written at the end, read back and
 * compared (rewritten if the disk stored something else), and made durable by `sync`. Compaction
 * writes the live state as a fresh log beside it, syncs it, and renames it over the old one, so a
 * crash at any point leaves one complete log.
 */
export class WriteAheadLog {
  private constructor(
    private readonly storage: StorageProvider,
    private file: StorageFile,
    private end: number,
    private seq: number,
  ) {}

  /** Opens the log, replays it and cuts off a damaged tail (made durable before anything is appended). */
  static async open(storage: StorageProvider): Promise<{ log: WriteAheadLog; recovered: RecoveredLog }> {
    // Left over from a compaction interrupted before its rename: the log itself is still whole.
    if (await storage.exists(COMPACT_PATH)) await storage.delete(COMPACT_PATH);
    const file = await storage.open(LOG_PATH, { read: true, write: true, create: true });
    const recovered = await recoverLog(file);
    if (recovered.damagedBytes > 0) {
      await file.setLen(recovered.end);
      await syncData(file);
    }
    return { log: new WriteAheadLog(storage, file, recovered.end, recovered.lastSeq), recovered };
  }

  /** Bytes in the log. */
  get size(): number {
    return this.end;
  }

  /** Writes the record of a mutation; not durable until `sync`. Throws IoError if it cannot. */
  async append(key: string, value: string | null): Promise<void> {
    const record = encodeEntry({ seq: this.seq + 1, key, value });
    try {
      await writeVerified(this.file, this.end, record);
    } catch (err) {
      // Leave no half-written record behind the end for a later, shorter record to sit in front of.
      await this.file.setLen(this.end).catch(() => {});
      throw err;
    }
    this.end += record.length;
    this.seq++;
  }

  /** Makes every appended record durable. */
  sync(): Promise<void> {
    return syncData(this.file);
  }

  /** Replaces the log by one SET record per live key. On failure the old log stays in use. */
  async compact(entries: ReadonlyMap<string, string>): Promise<void> {
    const records = [...entries].map(([key, value], i) => encodeEntry({ seq: i + 1, key, value }));
    const image = concat(records);
    const next = await this.storage.open(COMPACT_PATH, { read: true, write: true, create: true, truncate: true });
    try {
      await writeVerified(next, 0, image);
      await syncData(next);
      await this.storage.rename(COMPACT_PATH, LOG_PATH);
    } catch (err) {
      await next.close().catch(() => {});
      await this.storage.delete(COMPACT_PATH).catch(() => {});
      throw err;
    }
    const old = this.file;
    this.file = next;
    this.end = image.length;
    this.seq = records.length;
    await old.close().catch(() => {});
  }
}

/** Writes `data` at `position` and reads it back until the disk holds exactly `data`. */
async function writeVerified(file: StorageFile, position: number, data: Uint8Array): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await file.writeAt(position, data);
    const stored = await file.readAt(position, data.length);
    if (sameBytes(stored, data)) return;
    if (attempt >= WRITE_TRIES) throw new IoError('EIO', `write at ${position} could not be verified`);
  }
}

async function syncData(file: StorageFile): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await file.syncData();
    } catch (err) {
      if (!(err instanceof IoError) || err.code !== 'EIO' || attempt >= SYNC_TRIES) throw err;
    }
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
