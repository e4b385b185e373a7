/** Kinds of simulation events; the number is mixed into the trace hash, the name shows in traces. */
export const EventKind = {
  Timer: 1,
  Yield: 2,
  TaskStart: 3,
  /** Node's `setTimeout` / `setInterval` in hermetic mode. */
  NodeTimer: 4,
  /** Node's `setImmediate` in hermetic mode (a 0 ms event). */
  NodeImmediate: 5,
  ProcessGracefulShutdown: 10,
  ProcessForceKill: 11,
  ProcessRestart: 12,
  SettleTimeout: 20,
  /** Not an event: the end of an iteration, mixed into the trace hash with the total RNG draws. */
  IterationEnd: 21,
  StorageRead: 30,
  StorageWrite: 31,
  StorageSync: 32,
  StorageCrash: 33,
  NetworkBind: 40,
  NetworkConnect: 41,
  NetworkAccept: 42,
  NetworkDelivery: 43,
  NetworkReset: 44,
  ClogClear: 45,
  PartitionRestore: 46,
  CutRestore: 47,
  HalfOpenError: 48,
  ChaosEnd: 49,
} as const;
export type EventKind = (typeof EventKind)[keyof typeof EventKind];

const names = new Map<number, string>(Object.entries(EventKind).map(([name, n]) => [n, name]));

export function eventKindName(kind: number): string {
  return names.get(kind) ?? `Event${kind}`;
}
