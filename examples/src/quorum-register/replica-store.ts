import { crc32c, type StorageFile, type StorageProvider } from 'moonpool';
import { compareVersions, INITIAL, type Stored } from './register-service.js';

/** The file a replica keeps its register in (relative to its storage). */
export const REGISTER_FILE = 'register.dat';

/** Bytes of one slot: a record is 8 bytes of header and at most this much less of JSON. */
const SLOT_BYTES = 4096;
const HEADER_BYTES = 8;

/**
 * A replica's register on disk: two fixed slots in one file, written in turn. A new state goes into
 * the slot that does not hold the current one and is synced before it counts; each slot carries a
 * CRC32C of its contents. A crash while a slot is being written (a torn, unsynced write) leaves that
 * slot invalid and the other one whole, so opening the file always finds the last state that was
 * synced (or a newer one whose write happened to reach the disk). Nothing is ever written over the
 * current state.
 */
export class ReplicaStore {
  private constructor(
    private readonly file: StorageFile,
    private current: Stored,
    /** The slot holding `current`, or -1 before anything was written. */
    private slot: number,
  ) {}

  /** Opens (or creates) the file and reads the newest valid slot. */
  static async open(storage: StorageProvider, path = REGISTER_FILE): Promise<ReplicaStore> {
    const file = await storage.open(path, { read: true, write: true, create: true });
    let best: { stored: Stored; slot: number } | null = null;
    for (const slot of [0, 1]) {
      const stored = decodeSlot(await file.readAt(slot * SLOT_BYTES, SLOT_BYTES));
      if (stored !== null && (best === null || compareVersions(stored.version, best.stored.version) > 0)) {
        best = { stored, slot };
      }
    }
    return new ReplicaStore(file, best?.stored ?? INITIAL, best?.slot ?? -1);
  }

  /** The state last made durable. */
  get stored(): Stored {
    return this.current;
  }

  /** Writes `next` into the other slot and syncs it; `stored` changes only once it is durable. */
  async persist(next: Stored): Promise<void> {
    const slot = this.slot === 0 ? 1 : 0;
    await this.file.writeAt(slot * SLOT_BYTES, encodeSlot(next));
    await this.file.syncData();
    this.current = next;
    this.slot = slot;
  }

  close(): Promise<void> {
    return this.file.close();
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** `[crc32c of the rest: u32][length of the JSON: u32][JSON]`, little-endian. */
function encodeSlot(stored: Stored): Uint8Array {
  const json = encoder.encode(JSON.stringify(stored));
  if (json.length > SLOT_BYTES - HEADER_BYTES) throw new RangeError(`a register state of ${json.length} bytes does not fit a slot`);
  const out = new Uint8Array(HEADER_BYTES + json.length);
  const view = new DataView(out.buffer);
  view.setUint32(4, json.length, true);
  out.set(json, HEADER_BYTES);
  view.setUint32(0, crc32c(out.subarray(4)), true);
  return out;
}

/** The state in a slot, or null for an empty, torn or otherwise damaged one. */
function decodeSlot(bytes: Uint8Array): Stored | null {
  if (bytes.length < HEADER_BYTES) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getUint32(4, true);
  if (length === 0 || length > bytes.length - HEADER_BYTES) return null;
  if (crc32c(bytes.subarray(4, HEADER_BYTES + length)) !== view.getUint32(0, true)) return null;
  try {
    return JSON.parse(decoder.decode(bytes.subarray(HEADER_BYTES, HEADER_BYTES + length))) as Stored;
  } catch {
    return null;
  }
}
