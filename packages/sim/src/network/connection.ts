import type { ScheduledEvent } from '../kernel/world.js';
import type { SimStream } from './sim-stream.js';

/** Bytes in flight in one direction; `null` data is the FIN. */
export interface Chunk {
  data: Uint8Array | null;
  /** When it reaches the receiver (ticks); non-decreasing along a pipe, so order is kept. */
  readyAt: number;
}

/** One direction of a connection: what was written and is not yet delivered. */
export class Pipe {
  chunks: Chunk[] = [];
  /** The pending delivery event, if one is scheduled. */
  scheduled: ScheduledEvent | null = null;
  /** Delivery is stalled until this time (ticks): a clog. */
  clogUntil = 0;
  /** Readiness of the last chunk queued, so later chunks never overtake it. */
  lastReadyAt = 0;
  /** Waiting for a partition or cut to heal before delivering. */
  stalled = false;

  constructor(
    readonly conn: SimConnection,
    readonly from: SimStream,
    readonly to: SimStream,
  ) {}
}

/** A simulated TCP connection between two streams. */
export class SimConnection {
  a!: SimStream;
  b!: SimStream;
  /** Exempt from chaos (supervision channels). */
  stable = false;
  /** A silent random close or a peer crash: the connection delivers nothing any more. */
  blackHole = false;
  /** Deliveries wait until this time (ticks): a connection cut. */
  cutUntil = 0;

  constructor(readonly id: number) {}

  pipes(): [Pipe, Pipe] {
    return [this.a.out, this.b.out];
  }
}
