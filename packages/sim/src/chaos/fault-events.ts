// Every fault the simulator injects is written, as one of these entries, to the event log
// `sim:faults` (ctx.eventLog(FAULT_LOG)), so workloads and checks can see what happened and when.

/** The event log the simulator writes every injected fault to. */export const FAULT_LOG = 'sim:faults';

/** Process entries of the fault log. */
export type ProcessFaultEvent =
  | { type: 'ProcessGracefulShutdown'; ip: string }
  | { type: 'ProcessForceKill'; ip: string }
  | { type: 'ProcessRestart'; ip: string };

/** Every entry of the fault log. */
export type FaultEvent = ProcessFaultEvent | NetworkFaultEvent | StorageFaultEvent;

/** Network entries of the fault log. */
export type NetworkFaultEvent =
  | { type: 'PartitionCreated'; from: string; to: string; untilMs: number | null }
  | { type: 'PartitionHealed'; from: string; to: string }
  | { type: 'SendPartitionCreated'; ip: string; untilMs: number | null }
  | { type: 'RecvPartitionCreated'; ip: string; untilMs: number | null }
  | { type: 'ConnectionCut'; connection: number; untilMs: number }
  | { type: 'CutRestored'; connection: number }
  | { type: 'HalfOpenError'; connection: number; ip: string }
  | { type: 'RandomClose'; connection: number; ip: string; explicit: boolean }
  | { type: 'PeerCrash'; ip: string }
  | { type: 'BitFlip'; connection: number; to: string; bits: number };

/** A read fault: corrupted bytes, or bytes of another offset (`actualPosition`). */
export interface StorageReadFault {
  /** Always `'StorageReadFault'`. */
  type: 'StorageReadFault';
  /** IP of the machine whose storage it is. */
  ip: string;
  /** The file read. */
  path: string;
  /** `corruption`: the bytes returned were altered; `misdirect`: they came from another offset. */
  fault: 'corruption' | 'misdirect';
  /** Byte offset the read asked for. */
  position: number;
  /** Number of bytes read. */
  length: number;
  /** Byte offset the bytes really came from; only for `misdirect`. */
  actualPosition?: number;
}

/** A write fault: stored bytes differ, land elsewhere (`actualPosition`), or will vanish at crash. */
export interface StorageWriteFault {
  /** Always `'StorageWriteFault'`. */
  type: 'StorageWriteFault';
  /** IP of the machine whose storage it is. */
  ip: string;
  /** The file written. */
  path: string;
  /**
   * `corruption`: other bytes were stored; `misdirect`: stored at another offset; `phantom`: lost at the next crash.
   */
  fault: 'corruption' | 'misdirect' | 'phantom';
  /** Byte offset the write asked for (the end of the file for an append). */
  position: number;
  /** Number of bytes written. */
  length: number;
  /** Byte offset the data really landed at; only for `misdirect`. */
  actualPosition?: number;
}

/** A sync that failed with EIO; the data it should have flushed stays unsynced. */
export interface StorageSyncFault {
  /** Always `'StorageSyncFault'`. */
  type: 'StorageSyncFault';
  /** IP of the machine whose storage it is. */
  ip: string;
  /** The file whose sync failed. */
  path: string;
}

/** Power loss on one machine, with what happened to its unsynced operations. */
export interface StorageCrash {
  /** Always `'StorageCrash'`. */
  type: 'StorageCrash';
  /** IP of the machine that lost power. */
  ip: string;
  /** Number of files on the machine at the crash. */
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
  /** Always `'StorageWipe'`. */
  type: 'StorageWipe';
  /** IP of the machine wiped. */
  ip: string;
  /** Number of files deleted. */
  files: number;
}

/** Storage entries of the fault log. */
export type StorageFaultEvent =
  | StorageReadFault
  | StorageWriteFault
  | StorageSyncFault
  | StorageCrash
  | StorageWipe;
