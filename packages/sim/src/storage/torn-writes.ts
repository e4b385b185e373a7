import type { SimRng } from '../kernel/rng.js';
import type { ByteBuffer } from './byte-buffer.js';

/** A write or truncation that completed but has not been synced yet. */
export type UnsyncedOp =
  | { kind: 'write'; offset: number; data: Uint8Array; phantom: boolean }
  | { kind: 'setLen'; length: number };

/** Granularity at which a torn write reaches the disk. */
export const SECTOR_BYTES = 512;

/** Counts of what a crash did, summed over files. */
export interface CrashTally {
  unsyncedOps: number;
  tornOps: number;
  lostOps: number;
  phantomWrites: number;
}

/**
 * The crash model: synced data survives; each unsynced operation, in order, is torn with probability
 * `tearProbability` and lost otherwise, so with probability 0 a crash behaves like losing a page
 * cache that was never flushed. A torn truncation is applied whole (metadata is atomic); a torn write
 * persists either a random prefix (write-back interrupted) or a random subset of its 512-byte sectors
 * (the device reordered them), which may by chance be all or none of it. Phantom writes never persist.
 */
export function tearAtCrash(
  disk: ByteBuffer,
  unsynced: readonly UnsyncedOp[],
  rng: SimRng,
  tearProbability: number,
  tally: CrashTally,
): void {
  for (const op of unsynced) {
    tally.unsyncedOps++;
    if (op.kind === 'write' && op.phantom) {
      tally.phantomWrites++;
      tally.lostOps++;
      continue;
    }
    if (!rng.bool(tearProbability)) {
      tally.lostOps++;
      continue;
    }
    tally.tornOps++;
    if (op.kind === 'setLen') disk.setLength(op.length);
    else if (rng.bool(0.5)) disk.write(op.offset, op.data.subarray(0, rng.range(0, op.data.length + 1)));
    else persistSomeSectors(disk, op.offset, op.data, rng);
  }
}

/** Each sector the write touches (aligned to file offsets) persists independently with probability 1/2. */
function persistSomeSectors(disk: ByteBuffer, offset: number, data: Uint8Array, rng: SimRng): void {
  const end = offset + data.length;
  let start = offset;
  while (start < end) {
    const sectorEnd = Math.min(end, (Math.floor(start / SECTOR_BYTES) + 1) * SECTOR_BYTES);
    if (rng.bool(0.5)) disk.write(start, data.subarray(start - offset, sectorEnd - offset));
    start = sectorEnd;
  }
}
