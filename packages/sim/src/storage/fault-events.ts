/** A read fault: corrupted bytes, or bytes of another offset (`actualPosition`). */
export interface StorageReadFault {
  type: 'StorageReadFault';
  ip: string;
  path: string;
  fault: 'corruption' | 'misdirect';
  position: number;
  length: number;
  actualPosition?: number;
}

/** A write fault: stored bytes differ, land elsewhere (`actualPosition`), or will vanish at crash. */
export interface StorageWriteFault {
  type: 'StorageWriteFault';
  ip: string;
  path: string;
  fault: 'corruption' | 'misdirect' | 'phantom';
  position: number;
  length: number;
  actualPosition?: number;
}

/** A sync that failed with EIO; the data it should have flushed stays unsynced. */
export interface StorageSyncFault {
  type: 'StorageSyncFault';
  ip: string;
  path: string;
}

/** Power loss on one machine, with what happened to its unsynced operations. */
export interface StorageCrash {
  type: 'StorageCrash';
  ip: string;
  files: number;
  /** Writes and truncations not yet synced at the crash. */
  unsyncedOps: number;
  /** Unsynced operations partially (or, for truncations, wholly) persisted. */
  tornOps: number;
  /** Unsynced operations lost entirely. */
  lostOps: number;
  /** Phantom writes dropped, synced or not. */
  phantomWrites: number;
}

/** Every file of one machine deleted at once. */
export interface StorageWipe {
  type: 'StorageWipe';
  ip: string;
  files: number;
}

/** Storage entries of the fault timeline (`sim:faults`, SPEC §4.8). */
export type StorageFaultEvent =
  | StorageReadFault
  | StorageWriteFault
  | StorageSyncFault
  | StorageCrash
  | StorageWipe;
