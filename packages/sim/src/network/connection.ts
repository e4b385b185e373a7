// A simulated TCP connection: two ends (streams) joined by a pipe in each direction.
import { ArrayQueue, IoError, type Stream } from '@moonpool/core';
import type { Machine } from '../kernel/machine.js';
import { never, SETTLED } from '../kernel/tasks.js';
import type { ScheduledEvent } from '../kernel/world.js';

const DEFAULT_READ_SIZE = 64 * 1024;

interface PendingRead {
  resolve: (data: Uint8Array | null) => void;
  reject: (err: Error) => void;
  max: number;
}

/** Bytes in flight in one direction; `null` data is the FIN. */
export interface Chunk {
  data: Uint8Array | null;
  /** When it reaches the receiver (ticks); non-decreasing along a pipe, so order is kept. */
  readyAt: number;
}

/** One direction of a connection: what was written and is not yet delivered. */
export class Pipe {
  readonly chunks = new ArrayQueue<Chunk>();
  /** The pending delivery event, if one is scheduled. */
  scheduled: ScheduledEvent | null = null;
  /** What the delivery event runs (made once per pipe, not per event); true if it woke a reader. */
  onDue: () => boolean = () => false;
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

/** What an end of a connection asks of the network that carries it (`SimNetwork`). */
export interface StreamCarrier {
  /** A spontaneous close drawn on this I/O operation, or null. */
  randomCloseOnIo(stream: SimStream): IoError | null;
  send(stream: SimStream, data: Uint8Array): Promise<number>;
  sendNow(stream: SimStream, data: Uint8Array): number;
  sendFin(stream: SimStream): void;
  reset(stream: SimStream, err: IoError): void;
}

/** One end of a simulated TCP connection, owned by one incarnation of a machine. */
export class SimStream implements Stream {
  /** Data from the peer (delivered, not yet read). */
  private readonly received = new ArrayQueue<Uint8Array>();
  /** How much of the first received chunk was read already. */
  private receivedOffset = 0;
  private receivedBytes = 0;
  private reader: PendingRead | null = null;
  /** The push-style reader (`consume`), if any, and how its promise settles. */
  private consumer: ((chunk: Uint8Array) => boolean) | null = null;
  private consumed: { resolve: () => void; reject: (err: unknown) => void } | null = null;
  /** The peer's FIN arrived. */
  private eof = false;
  /** Set by a reset (either side) or a random explicit close: every later operation fails with it. */
  error: IoError | null = null;
  /** We sent our FIN. */
  writeClosed = false;
  /** Outgoing direction (this → peer); set when the connection is built. */
  out!: Pipe;
  readonly generation: number;

  constructor(
    private readonly net: StreamCarrier,
    readonly conn: SimConnection,
    readonly machine: Machine,
    readonly localAddr: string,
    readonly peerAddr: string,
  ) {
    this.generation = machine.generation;
  }

  get ip(): string {
    return this.machine.ip;
  }

  /** False once the machine that owns this end was killed or rebooted. */
  get live(): boolean {
    return this.machine.isLive(this.generation);
  }

  read(maxBytes = DEFAULT_READ_SIZE): Promise<Uint8Array | null> {
    if (!this.live) return never();
    if (!Number.isInteger(maxBytes) || maxBytes <= 0) {
      return Promise.reject(new RangeError(`read: maxBytes must be a positive integer, got ${maxBytes}`));
    }
    if (this.reader || this.consumer) return Promise.reject(new Error('read: another read is already pending'));
    const failure = this.error ?? this.net.randomCloseOnIo(this);
    if (failure) return Promise.reject(failure);
    if (this.receivedBytes > 0) return Promise.resolve(this.take(maxBytes));
    if (this.eof) return Promise.resolve(null);
    return new Promise((resolve, reject) => {
      this.reader = { resolve, reject, max: maxBytes };
    });
  }

  consume(onChunk: (chunk: Uint8Array) => boolean): Promise<void> {
    if (!this.live) return never();
    if (this.reader || this.consumer) return Promise.reject(new Error('consume: another read is already pending'));
    const failure = this.error ?? this.net.randomCloseOnIo(this);
    if (failure) return Promise.reject(failure);
    return new Promise((resolve, reject) => {
      this.consumer = onChunk;
      this.consumed = { resolve, reject };
      this.wake();
    });
  }

  write(data: Uint8Array): Promise<number> {
    if (!this.live) return never();
    if (this.error) return Promise.reject(this.error);
    if (this.writeClosed) return Promise.reject(new IoError('EPIPE', 'write after close'));
    const failure = this.net.randomCloseOnIo(this);
    if (failure) return Promise.reject(failure);
    return this.net.send(this, data);
  }

  writeAll(data: Uint8Array): Promise<void> {
    // Fast path: the whole buffer is accepted at once (no clog, no short write), no async machinery.
    if (this.live && !this.error && !this.writeClosed && this.net.randomCloseOnIo(this) === null) {
      const n = this.net.sendNow(this, data);
      if (n === data.length) return SETTLED;
      if (n >= 0) return this.writeRest(data, n);
    }
    return this.writeRest(data, 0);
  }

  private async writeRest(data: Uint8Array, offset: number): Promise<void> {
    while (offset < data.length) offset += await this.write(data.subarray(offset));
  }

  close(): Promise<void> {
    if (!this.live) return never();
    if (this.error) return Promise.reject(this.error);
    if (!this.writeClosed) {
      this.writeClosed = true;
      this.net.sendFin(this);
    }
    return Promise.resolve();
  }

  abort(): void {
    if (!this.live || this.error) return;
    this.net.reset(this, new IoError('ECONNRESET', 'connection reset by a local abort'));
  }

  // --- called by the network from delivery events; each returns true if it resumed a reader ---

  deliverData(data: Uint8Array): boolean {
    this.received.push(data);
    this.receivedBytes += data.length;
    return this.wake();
  }

  deliverFin(): boolean {
    this.eof = true;
    return this.wake();
  }

  /** The connection is reset: buffered data is discarded and the next operation fails. */
  fail(err: IoError): boolean {
    if (this.error) return false;
    this.error = err;
    this.received.drain();
    this.receivedOffset = 0;
    this.receivedBytes = 0;
    return this.wake();
  }

  private wake(): boolean {
    if (this.consumer !== null) return this.push();
    const reader = this.reader;
    if (reader === null || !this.live) return false;
    if (this.error) {
      this.reader = null;
      reader.reject(this.error);
      return true;
    }
    if (this.receivedBytes > 0) {
      this.reader = null;
      reader.resolve(this.take(reader.max));
      return true;
    }
    if (this.eof) {
      this.reader = null;
      reader.resolve(null);
      return true;
    }
    return false;
  }

  /**
   * Hands what was delivered to the consumer, chunk by chunk; ends the consumption at end of stream,
   * on an error, or when the consumer says so or throws. Random-close chaos is drawn where a `read`
   * loop would draw it: once at the start and again after each chunk (each next `read`).
   */
  private push(): boolean {
    if (!this.live) return false;
    let woke = false;
    while (this.consumer !== null) {
      if (this.error) {
        this.endConsumption(this.error);
        return true;
      }
      if (this.receivedBytes === 0) {
        if (!this.eof) return woke;
        this.endConsumption(null);
        return true;
      }
      woke = true;
      const chunk = this.take(DEFAULT_READ_SIZE);
      try {
        if (!this.consumer(chunk)) this.endConsumption(null);
      } catch (err) {
        this.endConsumption(err);
      }
      // An injected explicit close resets this stream, which ends the consumption (through `fail`).
      if (this.consumer !== null) this.net.randomCloseOnIo(this);
    }
    return woke;
  }

  /** Stops handing chunks over: resolves `consume` (null) or rejects it with `err`. */
  private endConsumption(err: unknown): void {
    const consumed = this.consumed;
    if (consumed === null) return; // already ended, from inside the consumer (it aborted the stream)
    this.consumer = null;
    this.consumed = null;
    if (err === null) consumed.resolve();
    else consumed.reject(err);
  }

  /** Removes the next delivered chunk, or its first `max` bytes (a read may return less than is buffered). */
  private take(max: number): Uint8Array {
    const first = this.received.peek() as Uint8Array;
    const at = this.receivedOffset;
    const left = first.length - at;
    if (left <= max) {
      this.received.shift();
      this.receivedOffset = 0;
      this.receivedBytes -= left;
      return at === 0 ? first : first.subarray(at);
    }
    this.receivedOffset = at + max;
    this.receivedBytes -= max;
    return first.subarray(at, at + max);
  }
}
