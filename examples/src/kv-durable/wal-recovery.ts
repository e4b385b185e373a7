import type { StorageFile } from 'moonpool';
import { decodeFrameAt, FrameError } from '../kv/kv-frame.js';
import { decodeEntry, type WalEntry } from './wal-entry.js';

/** What replaying a log found. */
export interface RecoveredLog {
  /** The state after every valid record, in order. */
  readonly entries: Map<string, string>;
  /** Offset just past the last valid record: where the next record goes. */
  readonly end: number;
  /** Bytes after `end` (a torn or corrupt tail), to be cut off. */
  readonly damagedBytes: number;
  readonly lastSeq: number;
  readonly replayed: number;
}

/**
 * How often a region that does not parse is read again before it is believed damaged: a read
 * fault corrupts what one read returned, not the disk, while a torn write stays torn.
 */
const REREADS = 3;

/**
 * Replays the log from the start and stops at the first record that is incomplete, fails its
 * checksum, or breaks the sequence. Only the tail can be damaged this way: a record is synced
 * before the next one is written, and power loss tears only unsynced writes.
 */
export async function recoverLog(file: StorageFile): Promise<RecoveredLog> {
  const size = await file.size();
  const entries = new Map<string, string>();
  let lastSeq = 0;
  let replayed = 0;
  let base = 0; // file offset of bytes[0]
  let bytes = await file.readAt(0, size);
  let offset = 0;
  let failures = 0;
  while (offset < bytes.length) {
    const found = decodeFrameAt(bytes, offset);
    const entry = found.kind === 'frame' ? nextEntry(found.payload, lastSeq) : null;
    if (found.kind === 'frame' && entry !== null) {
      if (entry.value === null) entries.delete(entry.key);
      else entries.set(entry.key, entry.value);
      lastSeq = entry.seq;
      replayed++;
      offset = found.end;
      failures = 0;
      continue;
    }
    if (failures++ >= REREADS) break;
    base += offset;
    bytes = await file.readAt(base, size - base);
    offset = 0;
  }
  const end = base + offset;
  return { entries, end, damagedBytes: size - end, lastSeq, replayed };
}

/** The entry in `payload` if it is a valid mutation following `lastSeq`, else null. */
function nextEntry(payload: Uint8Array, lastSeq: number): WalEntry | null {
  try {
    const entry = decodeEntry(payload);
    return entry.seq === lastSeq + 1 ? entry : null;
  } catch (err) {
    if (err instanceof FrameError) return null;
    throw err;
  }
}
