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

/** Storage entries of the fault log. */
export type StorageFaultEvent =
  | StorageReadFault
  | StorageWriteFault
  | StorageSyncFault
  | StorageCrash
  | StorageWipe;
