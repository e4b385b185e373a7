import type { SimRng } from '../kernel/rng.js';
import { ByteBuffer } from './byte-buffer.js';
import { type CrashTally, tearAtCrash, type UnsyncedOp } from './torn-writes.js';

/**
 * One file's content (an inode: a deleted file lives on while handles hold it). `current` is what
 * reads see; `durable` is what survives power loss: synced operations minus phantom writes.
 */
export class SimFile {
  current = new ByteBuffer();
  private durable = new ByteBuffer();
  /** Completed operations since the last successful sync, oldest first. */
  private unsynced: UnsyncedOp[] = [];
  /** Phantom writes already folded away by a sync (their data is in `current` only). */
  private syncedPhantoms = 0;

  get length(): number {
    return this.current.length;
  }

  /** `data` must be a private copy: it is kept until the next sync or crash. */
  write(offset: number, data: Uint8Array, phantom: boolean): void {
    this.current.write(offset, data);
    this.unsynced.push({ kind: 'write', offset, data, phantom });
  }

  setLength(length: number): void {
    this.current.setLength(length);
    this.unsynced.push({ kind: 'setLen', length });
  }

  /** Makes every unsynced operation durable, except phantom writes, which only pretend to be. */
  sync(): void {
    for (const op of this.unsynced) {
      if (op.kind === 'setLen') this.durable.setLength(op.length);
      else if (op.phantom) this.syncedPhantoms++;
      else this.durable.write(op.offset, op.data);
    }
    this.unsynced = [];
  }

  /** Power loss: the content becomes the durable content plus whatever of the unsynced ops tore in. */
  crash(rng: SimRng, tearProbability: number, tally: CrashTally): void {
    tally.phantomWrites += this.syncedPhantoms;
    tearAtCrash(this.durable, this.unsynced, rng, tearProbability, tally);
    this.unsynced = [];
    this.syncedPhantoms = 0;
    this.current = this.durable.clone();
  }
}
