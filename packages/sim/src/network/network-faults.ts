/** Network entries of the `sim:faults` timeline (SPEC §4.8). */
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
