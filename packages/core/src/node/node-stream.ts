import type { Socket } from 'node:net';
import { IoError } from '../errors.js';
import type { Stream } from '../providers/network.js';
import { NetworkAddress } from '../types/network-address.js';
import { toIoError } from './io-error.js';

const DEFAULT_READ_SIZE = 64 * 1024;
/** Stop reading from the socket once this much is buffered, so a slow reader pushes back on TCP. */
const HIGH_WATER = 1024 * 1024;
const RESOLVED: Promise<void> = Promise.resolve();

/** A write the kernel has not taken in full yet: it resolves once `end` bytes in all have been. */
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
 * for every 'data' chunk and never touches it again. Writes resolve as soon as the kernel holds all
 * of the bytes, usually within `socket.write` itself, so the caller may reuse its buffer then.
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
  /** Bytes handed to `socket.write` so far; with `writableLength` this says which writes are done. */
  #written = 0;
  readonly #writeWaiters: WriteWaiter[] = [];
  /** One callback for every write, so a write allocates no closure. */
  readonly #onWritten = (err?: Error | null): void => this.#settleWrites(err ?? null);

  /** Throws a `RangeError` if the socket has no addresses (it was reset before we saw it). */
  constructor(socket: Socket) {
    this.localAddr = addressOf(socket.localAddress, socket.localPort);
    this.peerAddr = addressOf(socket.remoteAddress, socket.remotePort);
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
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
    if (this.#readResolve) return Promise.reject(new Error('read: another read is already pending'));
    if (this.#error) return Promise.reject(this.#error);
    if (this.#buffered > 0) return Promise.resolve(this.#take(maxBytes));
    if (this.#eof) return Promise.resolve(null);
    return new Promise((resolve, reject) => {
      this.#readMax = maxBytes;
      this.#readResolve = resolve;
      this.#readReject = reject;
    });
  }

  write(data: Uint8Array): Promise<number> {
    const refused = this.#refuseWrite();
    if (refused) return refused;
    if (data.length === 0) return Promise.resolve(0);
    // Node takes the whole buffer: a write is never short.
    if (this.#send(data)) return Promise.resolve(data.length);
    return this.#lastWriteDone().then(() => data.length);
  }

  writeAll(data: Uint8Array): Promise<void> {
    const refused = this.#refuseWrite();
    if (refused) return refused;
    if (data.length === 0 || this.#send(data)) return RESOLVED;
    return this.#lastWriteDone();
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

  #refuseWrite(): Promise<never> | null {
    if (this.#error) return Promise.reject(this.#error);
    if (this.#ended) return Promise.reject(new IoError('EPIPE', 'write after close'));
    return null;
  }

  /** Hands `data` to the socket; true if the kernel already took all of it (and all before it). */
  #send(data: Uint8Array): boolean {
    const socket = this.#socket;
    socket.write(data, this.#onWritten);
    this.#written += data.length;
    // A write that failed at once is reported to its callback, which decides.
    if (socket.writableLength !== 0 || socket.destroyed) return false;
    if (this.#writeWaiters.length > 0) this.#settleWrites(null);
    return true;
  }

  /** Settles when the last write (and every write before it) is in the kernel, or fails. */
  #lastWriteDone(): Promise<void> {
    const end = this.#written;
    return new Promise((resolve, reject) => this.#writeWaiters.push({ end, resolve, reject }));
  }

  /** After any write callback: resolves the writes now done; on an error, fails every waiting write. */
  #settleWrites(err: Error | null): void {
    const waiters = this.#writeWaiters;
    if (waiters.length === 0) return;
    if (err) return this.#failWrites(this.#error ?? writeError(err));
    // Once destroyed, the byte count no longer says what was sent (Node reports a write cut short
    // by destroy() as a success): the error, or 'close', settles what is left.
    if (this.#socket.destroyed) {
      if (this.#error) this.#failWrites(this.#error);
      return;
    }
    const done = this.#written - this.#socket.writableLength;
    while (waiters.length > 0 && (waiters[0] as WriteWaiter).end <= done) {
      (waiters.shift() as WriteWaiter).resolve();
    }
  }

  #failWrites(err: IoError): void {
    for (const waiter of this.#writeWaiters.splice(0)) waiter.reject(err);
  }

  #onData(chunk: Buffer): void {
    const resolve = this.#readResolve;
    if (resolve && this.#buffered === 0 && chunk.length <= this.#readMax) {
      // The common case: a read is waiting for exactly this chunk; skip the buffer.
      this.#readResolve = this.#readReject = null;
      resolve(view(chunk, 0, chunk.length));
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

  #settleRead(): void {
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
