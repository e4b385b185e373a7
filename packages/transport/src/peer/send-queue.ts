import { allocateBytes, ArrayQueue } from '@moonpool/core';
import { LinkedList, type ListNode } from '../collections/linked-list.js';
import { MessagingError } from './messaging-error.js';

/**
 * A reliable message: kept by its peer and written again on every new connection until its sender
 * cancels it (an RPC cancels once its reply arrived or it gave up) — at-least-once delivery.
 */
export class ReliablePacket {
  /** The connection it was last written on (0: none yet). */
  writtenOn = 0;
  /** Whether `cancel` was called: it is no longer (re)sent. */
  cancelled = false;
  /** Called if its peer ends for good before it is cancelled: it will never be sent again. */
  onLost: ((error: MessagingError) => void) | null = null;
  /** Its place among its queue's kept packets (set by the queue). */
  node: ListNode<ReliablePacket> | null = null;

  constructor(
    /** The whole packet as written on the wire: header, then payload. */
    readonly frame: Uint8Array,
    private readonly owner: SendQueue,
  ) {}

  /** Stops resending it (and sending it at all, if it has not been written yet). */
  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.owner.forget(this);
  }
}

/** Enough bytes per write to amortise a write call, few enough not to hold a huge buffer. */
const MAX_BATCH_BYTES = 256 * 1024;

/**
 * A peer's two queues: reliable messages (kept across disconnections, written first on a new
 * connection) and unreliable ones (dropped when a connection fails). Both are bounded. While a
 * connection lasts, messages are written in the order they were sent, whatever their kind.
 */
export class SendQueue {
  private readonly reliable = new LinkedList<ReliablePacket>();
  /** What to write on the current connection, in order: reliable packets and unreliable frames. */
  private readonly toWrite = new ArrayQueue<ReliablePacket | Uint8Array>();
  private unreliableCount = 0;
  /**
   * The answer to the latest ping, not written yet. One at most: a newer ping replaces it (the
   * pinger waits for its latest only), so pings that cannot be answered fast enough — a flood, or
   * a sender that does not read — cost no memory.
   */
  private pong: Uint8Array | null = null;
  private connection = 0;

  constructor(
    private readonly maxQueueSize: number,
    private readonly describe: () => string,
    private readonly wake: () => void,
  ) {}

  get reliableDepth(): number {
    return this.reliable.size;
  }

  get unreliableDepth(): number {
    return this.unreliableCount + (this.pong === null ? 0 : 1);
  }

  /** Something is waiting to be sent (or resent on the next connection). */
  get hasWork(): boolean {
    return this.reliable.size > 0 || this.unreliableCount > 0;
  }

  /** Something is waiting to be written on the current connection. */
  get hasToWrite(): boolean {
    return this.pong !== null || this.toWrite.size > 0;
  }

  pushReliable(frame: Uint8Array): ReliablePacket {
    if (this.reliable.size >= this.maxQueueSize) throw this.full('reliable');
    const packet = new ReliablePacket(frame, this);
    packet.node = this.reliable.push(packet);
    this.toWrite.push(packet);
    this.wake();
    return packet;
  }

  pushUnreliable(frame: Uint8Array): void {
    if (this.unreliableCount >= this.maxQueueSize) throw this.full('unreliable');
    this.pushControl(frame);
  }

  /** The pong to write next, in place of one still waiting (if any). */
  setPong(frame: Uint8Array): void {
    this.pong = frame;
    this.wake();
  }

  /** A health-check message: never refused, so a full queue cannot make a busy peer look dead. */
  pushControl(frame: Uint8Array): void {
    this.toWrite.push(frame);
    this.unreliableCount++;
    this.wake();
  }

  /**
   * A new connection: the reliable packets kept from earlier connections are resent first, in the
   * order they were sent; then what waited for this connection, in send order whatever its kind (a
   * message never written is not overtaken by a later one).
   */
  connected(connection: number): void {
    this.connection = connection;
    const waiting = this.toWrite.drain();
    const waitingReliable = new Set(waiting.filter((entry) => entry instanceof ReliablePacket));
    for (const packet of this.reliable.values()) if (!waitingReliable.has(packet)) this.toWrite.push(packet);
    for (const entry of waiting) this.toWrite.push(entry);
  }

  /** The connection failed: unreliable messages are lost (reliable ones wait for the next). */
  failed(): void {
    this.toWrite.drain();
    this.unreliableCount = 0;
    this.pong = null;
  }

  /** Drops everything (the peer is closed or gave up); each reliable packet's `onLost` hears why. */
  clear(error: MessagingError): void {
    const lost = this.reliable.clear();
    this.failed();
    for (const packet of lost) {
      packet.cancelled = true;
      packet.onLost?.(error);
    }
  }

  /**
   * The next bytes to write on the current connection, in order (null when all that waited was
   * cancelled); `batchPackets` says how many packets they hold.
   */
  takeBatch(): Uint8Array | null {
    const frames = this.batch;
    let count = 0;
    let size = 0;
    if (this.pong !== null) {
      frames[count++] = this.pong;
      size += this.pong.length;
      this.pong = null;
    }
    while (size < MAX_BATCH_BYTES) {
      const entry = this.toWrite.shift();
      if (entry === undefined) break;
      let frame: Uint8Array;
      if (entry instanceof Uint8Array) {
        frame = entry;
        this.unreliableCount--;
      } else {
        if (entry.cancelled || entry.writtenOn === this.connection) continue;
        entry.writtenOn = this.connection;
        frame = entry.frame;
      }
      frames[count++] = frame;
      size += frame.length;
    }
    this.batchPackets = count;
    if (count === 0) return null;
    const bytes = count === 1 ? (frames[0] as Uint8Array) : concat(frames, count, size);
    // A loop, not `fill`: for a range, `fill` is a call into the runtime costing more than a small batch.
    for (let i = 0; i < count; i++) frames[i] = NO_BYTES;
    return bytes;
  }

  /** How many packets the last `takeBatch` returned. */
  batchPackets = 0;
  /** The frames of the batch being taken: kept, so that taking one allocates nothing but its bytes. */
  private readonly batch: Uint8Array[] = [];

  /** Called by `ReliablePacket.cancel`. */
  forget(packet: ReliablePacket): void {
    if (packet.node !== null) this.reliable.remove(packet.node);
  }

  private full(which: string): MessagingError {
    return new MessagingError(
      'QueueFull',
      `the ${which} queue to ${this.describe()} holds ${this.maxQueueSize} messages (PeerConfig.maxQueueSize)`,
    );
  }
}

const NO_BYTES = new Uint8Array(0);

function concat(frames: readonly Uint8Array[], count: number, size: number): Uint8Array {
  const out = allocateBytes(size);
  let at = 0;
  for (let i = 0; i < count; i++) {
    const frame = frames[i] as Uint8Array;
    out.set(frame, at);
    at += frame.length;
  }
  return out;
}
