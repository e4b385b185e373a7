import type { Socket } from 'node:net';
import { IoError } from '../errors.js';
import type { Stream } from '../providers/network.js';
import { NetworkAddress } from '../types/network-address.js';
import { toIoError } from './io-error.js';

const DEFAULT_READ_SIZE = 64 * 1024;
/** Stop reading from the socket once this much is buffered, so a slow reader pushes back on TCP. */
const HIGH_WATER = 1024 * 1024;

interface PendingRead {
  maxBytes: number;
  resolve: (data: Uint8Array | null) => void;
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

/** A `Stream` over a connected `net.Socket`; data is buffered here and handed out by `read`. */
export class NodeStream implements Stream {
  readonly localAddr: string;
  readonly peerAddr: string;
  readonly #socket: Socket;
  readonly #chunks: Buffer[] = [];
  #buffered = 0;
  #eof = false;
  #error: IoError | null = null;
  #ended = false;
  #pending: PendingRead | null = null;

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
    });
  }

  read(maxBytes = DEFAULT_READ_SIZE): Promise<Uint8Array | null> {
    if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) {
      return Promise.reject(
        new RangeError(`read: maxBytes must be a positive integer, got ${maxBytes}`),
      );
    }
    if (this.#pending) return Promise.reject(new Error('read: another read is already pending'));
    return new Promise((resolve, reject) => {
      this.#pending = { maxBytes, resolve, reject };
      this.#settleRead();
    });
  }

  write(data: Uint8Array): Promise<number> {
    if (this.#error) return Promise.reject(this.#error);
    if (this.#ended) return Promise.reject(new IoError('EPIPE', 'write after close'));
    if (data.length === 0) return Promise.resolve(0);
    return new Promise((resolve, reject) => {
      // Node accepts the whole buffer; resolving on the callback means the caller may reuse it.
      this.#socket.write(data, (err) => {
        if (err) reject(this.#error ?? writeError(err));
        else resolve(data.length);
      });
    });
  }

  async writeAll(data: Uint8Array): Promise<void> {
    let offset = 0;
    while (offset < data.length) offset += await this.write(data.subarray(offset));
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

  #onData(chunk: Buffer): void {
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
    if (this.#buffered >= HIGH_WATER) this.#socket.pause();
    this.#settleRead();
  }

  /** A reset discards buffered data: the next read fails rather than returning stale bytes. */
  #fail(err: IoError): void {
    if (this.#error) return; // keep the first cause
    this.#error = err;
    this.#chunks.length = 0;
    this.#buffered = 0;
    this.#settleRead();
  }

  #settleRead(): void {
    const pending = this.#pending;
    if (!pending) return;
    if (this.#error) {
      this.#pending = null;
      pending.reject(this.#error);
    } else if (this.#buffered > 0) {
      this.#pending = null;
      pending.resolve(this.#take(pending.maxBytes));
    } else if (this.#eof) {
      this.#pending = null;
      pending.resolve(null);
    }
  }

  #take(maxBytes: number): Uint8Array {
    const size = Math.min(maxBytes, this.#buffered);
    const out = new Uint8Array(size);
    let filled = 0;
    while (filled < size) {
      const chunk = this.#chunks[0];
      if (!chunk) break;
      const n = Math.min(chunk.length, size - filled);
      out.set(chunk.subarray(0, n), filled);
      filled += n;
      if (n === chunk.length) this.#chunks.shift();
      else this.#chunks[0] = chunk.subarray(n);
    }
    this.#buffered -= size;
    if (this.#buffered < HIGH_WATER && this.#socket.isPaused()) this.#socket.resume();
    return out;
  }
}
