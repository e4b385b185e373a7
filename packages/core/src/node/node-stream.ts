import type { NetConnectOpts, Socket } from 'node:net';
import { ArrayQueue } from '../array-queue.js';
import { IoError } from '../errors.js';
import type { Stream } from '../providers/network.js';
import { NetworkAddress } from '../types/network-address.js';
import { toIoError } from './io-error.js';

const DEFAULT_READ_SIZE = 64 * 1024;
/** Stop reading from the socket once this much is buffered, so a slow reader pushes back on TCP. */
const HIGH_WATER = 1024 * 1024;
const RESOLVED: Promise<void> = Promise.resolve();

/**
 * Where sockets made with `readingIntoScratch` read: one buffer for all of them, since reads on one
 * thread never overlap and each read is copied out at once. (A plain view of it too, whose `slice`
 * is one fast copy.)
 */
const SCRATCH = Buffer.allocUnsafeSlow(DEFAULT_READ_SIZE);
const SCRATCH_BYTES = new Uint8Array(SCRATCH.buffer, SCRATCH.byteOffset, SCRATCH.length);

/** Where `readingIntoScratch` hands a socket's chunks: set by the NodeStream made of the socket. */
export interface ChunkSink {
  receive: ((chunk: Uint8Array) => void) | null;
  /** Chunks read before the NodeStream existed (Node reads only after 'connect': kept, never lost). */
  readonly early: Uint8Array[];
}

/**
 * Options for `net.connect` that read into `SCRATCH` and hand each chunk, copied, to the NodeStream
 * made of the socket (given `sink`). Node then skips its readable-stream machinery for every read
 * (no 64 KiB buffer per read, no 'data' event, no read-more tick): about a microsecond per read on
 * loopback. Node offers this for sockets it connects, not for the ones a server accepts.
 */
export function readingIntoScratch(sink: ChunkSink): Pick<NetConnectOpts, 'onread'> {
  return {
    onread: {
      buffer: SCRATCH,
      callback: (n: number): boolean => {
        const chunk = SCRATCH_BYTES.slice(0, n);
        if (sink.receive !== null) sink.receive(chunk);
        else sink.early.push(chunk);
        return true;
      },
    },
  };
}

/** A write in progress: it resolves once `end` bytes in all are written. */
interface WriteWaiter {
  end: number;
  resolve: () => void;
  reject: (err: Error) => void;
}

function addressOf(ip: string | undefined, port: number | undefined): string {
  return new NetworkAddress(ip ?? '', port ?? -1).toString();
}

/** Write callbacks report a torn-down socket with Node-internal codes; callers expect EPIPE. */
function writeError(err: Error): IoError {
  const code = (err as { code?: unknown }).code;
  if (code === 'ERR_STREAM_DESTROYED' || code === 'ERR_STREAM_WRITE_AFTER_END') {
    return new IoError('EPIPE', err.message);
  }
  return toIoError(err);
}

/** A plain `Uint8Array` over `length` bytes of `bytes` from `start`: no copy, and no `Buffer` species. */
function view(bytes: Uint8Array, start: number, length: number): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset + start, length);
}

/**
 * A `Stream` over a connected `net.Socket`; data is buffered here and handed out by `read`.
 *
 * Reads hand out the socket's own chunks (as views) when they fit: Node allocates a fresh buffer
 * for every 'data' chunk and never touches it again. Writes share one callback and resolve when
 * Node reports the bytes written, so the caller may reuse its buffer then. That is a tick after
 * `socket.write` even when the kernel took the bytes at once, and deliberately so: a writer that
 * awaits each write gathers what was queued meanwhile into its next one (resolving at once shrank
 * the transport's batches tenfold with many requests in flight; see docs/transport.md).
 */
export class NodeStream implements Stream {
  readonly localAddr: string;
  readonly peerAddr: string;
  readonly #socket: Socket;
  readonly #chunks: Uint8Array[] = [];
  #buffered = 0;
  #paused = false;
  #eof = false;
  #error: IoError | null = null;
  #ended = false;
  /** The pending read, if any (one at a time): fields rather than an object, to allocate less. */
  #readMax = 0;
  #readResolve: ((data: Uint8Array | null) => void) | null = null;
  #readReject: ((err: Error) => void) | null = null;
  /** The push-style reader (`consume`), if any, and how its promise settles. */
  #consumer: ((chunk: Uint8Array) => boolean) | null = null;
  #consumed: { resolve: () => void; reject: (err: unknown) => void } | null = null;
  /** Bytes handed to `socket.write` so far; with `writableLength` this says which writes are done. */
  #written = 0;
  readonly #writeWaiters = new ArrayQueue<WriteWaiter>();
  /** One callback for every write, rather than a closure per write. */
  readonly #onWritten = (err?: Error | null): void => this.#settleWrites(err ?? null);

  /**
   * Throws a `RangeError` if the socket has no addresses (it was reset before we saw it). `sink`: the
   * socket was made with `readingIntoScratch(sink)`, and its chunks come through it, copied.
   */
  constructor(socket: Socket, sink?: ChunkSink) {
    this.localAddr = addressOf(socket.localAddress, socket.localPort);
    this.peerAddr = addressOf(socket.remoteAddress, socket.remotePort);
    this.#socket = socket;
    if (sink !== undefined) {
      sink.receive = (chunk) => this.#onData(chunk);
      for (const chunk of sink.early.splice(0)) this.#onData(chunk);
    } else {
      socket.on('data', (chunk: Buffer) => this.#onData(view(chunk, 0, chunk.length)));
    }
    socket.on('end', () => {
      this.#eof = true;
      this.#settleRead();
    });
    socket.on('error', (err) => this.#fail(toIoError(err)));
    socket.on('close', () => {
      // Closed without FIN or error (destroyed): nothing more will ever arrive.
      if (!this.#eof) this.#fail(new IoError('ECONNRESET', 'socket closed'));
      // Nothing more will be written either (in practice every write is settled by now).
      this.#failWrites(this.#error ?? new IoError('EPIPE', 'socket closed'));
    });
  }

  read(maxBytes = DEFAULT_READ_SIZE): Promise<Uint8Array | null> {
    if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) {
      return Promise.reject(
        new RangeError(`read: maxBytes must be a positive integer, got ${maxBytes}`),
      );
    }
    if (this.#readResolve || this.#consumer) return Promise.reject(new Error('read: another read is already pending'));
    if (this.#error) return Promise.reject(this.#error);
    if (this.#buffered > 0) return Promise.resolve(this.#take(maxBytes));
    if (this.#eof) return Promise.resolve(null);
    return new Promise((resolve, reject) => {
      this.#readMax = maxBytes;
      this.#readResolve = resolve;
      this.#readReject = reject;
    });
  }

  consume(onChunk: (chunk: Uint8Array) => boolean): Promise<void> {
    if (this.#readResolve || this.#consumer) return Promise.reject(new Error('consume: another read is already pending'));
    if (this.#error) return Promise.reject(this.#error);
    return new Promise((resolve, reject) => {
      this.#consumer = onChunk;
      this.#consumed = { resolve, reject };
      const chunks = this.#chunks;
      while (this.#consumer !== null && chunks.length > 0) this.#hand(this.#take((chunks[0] as Uint8Array).length));
      this.#settleRead();
    });
  }

  write(data: Uint8Array): Promise<number> {
    // Node takes the whole buffer: a write is never short.
    return this.writeAll(data).then(() => data.length);
  }

  writeAll(data: Uint8Array): Promise<void> {
    if (this.#error) return Promise.reject(this.#error);
    if (this.#ended) return Promise.reject(new IoError('EPIPE', 'write after close'));
    if (data.length === 0) return RESOLVED;
    this.#socket.write(data, this.#onWritten);
    const end = (this.#written += data.length);
    return new Promise((resolve, reject) => this.#writeWaiters.push({ end, resolve, reject }));
  }

  close(): Promise<void> {
    if (this.#error) return Promise.reject(this.#error);
    if (this.#ended) return Promise.resolve();
    this.#ended = true;
    return new Promise((resolve, reject) => {
      this.#socket.end(() => {
        if (this.#error) reject(this.#error);
        else resolve();
      });
    });
  }

  abort(): void {
    this.#fail(new IoError('ECONNRESET', 'stream aborted'));
    if (this.#socket.destroyed) return;
    // After end() Node cannot reset the socket (resetAndDestroy fails with EINVAL and leaks the
    // handle), so a half-closed socket is destroyed instead.
    if (this.#socket.writableEnded) this.#socket.destroy();
    else this.#socket.resetAndDestroy();
  }

  /**
   * After any write callback: resolves the writes now done (by bytes, so the callbacks' order and
   * batching do not matter); on an error, fails every waiting write.
   */
  #settleWrites(err: Error | null): void {
    const waiters = this.#writeWaiters;
    if (waiters.size === 0) return;
    if (err) return this.#failWrites(this.#error ?? writeError(err));
    // Once destroyed, the byte count no longer says what was sent (Node reports a write cut short
    // by destroy() as a success): the error, or 'close', settles what is left.
    if (this.#socket.destroyed) {
      if (this.#error) this.#failWrites(this.#error);
      return;
    }
    const done = this.#written - this.#socket.writableLength;
    for (let waiter = waiters.peek(); waiter !== undefined && waiter.end <= done; waiter = waiters.peek()) {
      waiters.shift();
      waiter.resolve();
    }
  }

  #failWrites(err: IoError): void {
    for (const waiter of this.#writeWaiters.drain()) waiter.reject(err);
  }

  #onData(chunk: Uint8Array): void {
    // Nothing is buffered while a consumer is set: what was, it took first.
    if (this.#consumer !== null) return this.#hand(chunk);
    const resolve = this.#readResolve;
    if (resolve && this.#buffered === 0 && chunk.length <= this.#readMax) {
      // The common case: a read is waiting for exactly this chunk; skip the buffer.
      this.#readResolve = this.#readReject = null;
      resolve(chunk);
      return;
    }
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
    if (this.#buffered >= HIGH_WATER && !this.#paused) {
      this.#paused = true;
      this.#socket.pause();
    }
    this.#settleRead();
  }

  /** A reset discards buffered data: the next read fails rather than returning stale bytes. */
  #fail(err: IoError): void {
    if (this.#error) return; // keep the first cause
    this.#error = err;
    this.#chunks.length = 0;
    this.#buffered = 0;
    this.#settleRead();
    this.#failWrites(err);
  }

  /** Gives `chunk` to the consumer; ends the consumption if it says so or throws. */
  #hand(chunk: Uint8Array): void {
    let more: boolean;
    try {
      more = (this.#consumer as (chunk: Uint8Array) => boolean)(chunk);
    } catch (err) {
      return this.#endConsumption(err);
    }
    if (!more) this.#endConsumption(null);
  }

  /** Stops handing chunks over: resolves `consume` (null) or rejects it with `err`. */
  #endConsumption(err: unknown): void {
    const consumed = this.#consumed;
    if (consumed === null) return;
    this.#consumer = null;
    this.#consumed = null;
    if (err === null) consumed.resolve();
    else consumed.reject(err);
  }

  #settleRead(): void {
    if (this.#consumer !== null) {
      if (this.#error) this.#endConsumption(this.#error);
      else if (this.#eof && this.#buffered === 0) this.#endConsumption(null);
      return;
    }
    const resolve = this.#readResolve;
    const reject = this.#readReject;
    if (!resolve || !reject) return;
    if (this.#error) {
      this.#readResolve = this.#readReject = null;
      reject(this.#error);
    } else if (this.#buffered > 0) {
      this.#readResolve = this.#readReject = null;
      resolve(this.#take(this.#readMax));
    } else if (this.#eof) {
      this.#readResolve = this.#readReject = null;
      resolve(null);
    }
  }

  /** Up to `maxBytes` buffered bytes: a view of the first chunk if it has enough, else a copy. */
  #take(maxBytes: number): Uint8Array {
    const size = Math.min(maxBytes, this.#buffered);
    const chunks = this.#chunks;
    const first = chunks[0] as Uint8Array;
    let out: Uint8Array;
    if (first.length >= size) {
      out = view(first, 0, size);
      if (size === first.length) chunks.shift();
      else chunks[0] = view(first, size, first.length - size);
    } else {
      out = new Uint8Array(size);
      let filled = 0;
      while (filled < size) {
        const chunk = chunks[0] as Uint8Array;
        const n = Math.min(chunk.length, size - filled);
        out.set(n === chunk.length ? chunk : view(chunk, 0, n), filled);
        filled += n;
        if (n === chunk.length) chunks.shift();
        else chunks[0] = view(chunk, n, chunk.length - n);
      }
    }
    this.#buffered -= size;
    if (this.#paused && this.#buffered < HIGH_WATER) {
      this.#paused = false;
      this.#socket.resume();
    }
    return out;
  }
}
