import type { AddressInfo } from 'node:net';
import { Duplex } from 'node:stream';
import type { Stream, TimeProvider } from '@moonpool/core';
import { IdleTimer } from './idle-timer.js';
import { parseSocketAddress } from './socket-address.js';
import { toNodeError } from './socket-errors.js';

/** Options of a {@link StreamSocket}. */
export interface StreamSocketOptions {
  /** Clock for `setTimeout`; in a simulation, the machine's simulated time. */
  time: TimeProvider;
  /** As `net.Socket` (default false): once the peer has ended, end our side after flushing. */
  allowHalfOpen?: boolean;
  /** Bytes buffered for reading before reads from the stream pause; Node's default when omitted. */
  readableHighWaterMark?: number;
  /** Bytes queued for writing before `write()` returns false; Node's default when omitted. */
  writableHighWaterMark?: number;
}

const MAX_READ = 64 * 1024;

/**
 * A `Stream` presented as a `net.Socket`-compatible `Duplex`, with what node:http uses of a socket,
 * so unmodified http servers and clients run over any `NetworkProvider`. Given a promise of a stream,
 * it starts out connecting, like `net.createConnection`: writes wait, and timeouts already run.
 */
export class StreamSocket extends Duplex {
  /** True until the promised stream is connected; then 'connect' and 'ready' are emitted. */
  connecting = false;
  /** node:http marks a socket once it has reported an error for it. */
  _hadError = false;
  /** The last `setTimeout` value (node:http's agent compares it), undefined until set. */
  timeout: number | undefined = undefined;
  /** The last value given to `setNoDelay` (default false); it changes nothing. */
  noDelay = false;
  /** The last `enable` given to `setKeepAlive` (default false); it changes nothing. */
  keepAlive = false;
  /** The last `initialDelay` given to `setKeepAlive`, in ms (default 0); it changes nothing. */
  keepAliveInitialDelay = 0;

  #stream: Stream | null = null;
  readonly #idle: IdleTimer;
  #local: AddressInfo | undefined;
  #remote: AddressInfo | undefined;
  /** Reads, writes and the half-close asked for while connecting. */
  readonly #deferred: Array<(stream: Stream) => void> = [];
  #reading = false;
  /** The peer's end of stream was read. */
  #eof = false;
  /** Our half-close was started: every write was accepted, then `close()` was called. */
  #closing = false;
  #resetRequested = false;
  #bytesRead = 0;
  #bytesWritten = 0;

  constructor(stream: Stream | Promise<Stream>, options: StreamSocketOptions) {
    super({
      allowHalfOpen: options.allowHalfOpen ?? false,
      readableHighWaterMark: options.readableHighWaterMark,
      writableHighWaterMark: options.writableHighWaterMark,
    });
    this.#idle = new IdleTimer(options.time, () => this.emit('timeout'));
    if ('then' in stream) {
      this.connecting = true;
      stream.then(
        (connected) => this.#onConnect(connected),
        (err: unknown) => {
          this.connecting = false;
          if (!this.destroyed) this.destroy(toNodeError(err, 'connect'));
        },
      );
    } else {
      this.#attach(stream);
    }
  }

  /** The peer's IP; undefined until connected. */
  get remoteAddress(): string | undefined {
    return this.#remote?.address;
  }

  /** The peer's port; undefined until connected. */
  get remotePort(): number | undefined {
    return this.#remote?.port;
  }

  /** `'IPv4'` or `'IPv6'` for the peer's address; undefined until connected. */
  get remoteFamily(): string | undefined {
    return this.#remote?.family;
  }

  /** This end's IP; undefined until connected. */
  get localAddress(): string | undefined {
    return this.#local?.address;
  }

  /** This end's port; undefined until connected. */
  get localPort(): number | undefined {
    return this.#local?.port;
  }

  /** `'IPv4'` or `'IPv6'` for this end's address; undefined until connected. */
  get localFamily(): string | undefined {
    return this.#local?.family;
  }

  /** This end's address, port and family, as `net.Socket.address()`; `{}` until connected. */
  address(): AddressInfo | Record<string, never> {
    return this.#local ? { ...this.#local } : {};
  }

  /** Bytes received from the peer so far. */
  get bytesRead(): number {
    return this.#bytesRead;
  }

  /** Bytes the stream has accepted (net also counts what is still queued; http only compares to 0). */
  get bytesWritten(): number {
    return this.#bytesWritten;
  }

  /** Bytes written but not yet accepted by the stream (`writableLength`). */
  get bufferSize(): number {
    return this.writableLength;
  }

  /** True while connecting, as `connecting`. */
  get pending(): boolean {
    return this.connecting;
  }

  /** As `net.Socket`: `'opening'` while connecting, then by which directions are still open. */
  get readyState(): 'opening' | 'open' | 'readOnly' | 'writeOnly' | 'closed' {
    if (this.connecting) return 'opening';
    if (this.readable && this.writable) return 'open';
    if (this.readable) return 'readOnly';
    if (this.writable) return 'writeOnly';
    return 'closed';
  }

  /** Recorded only: a `Stream` has no Nagle algorithm to switch off. */
  setNoDelay(noDelay = true): this {
    this.noDelay = noDelay;
    return this;
  }

  /** Recorded only: a `Stream` has no keep-alive probes. */
  setKeepAlive(enable = false, initialDelay = 0): this {
    this.keepAlive = enable;
    this.keepAliveInitialDelay = initialDelay;
    return this;
  }

  /** Emits 'timeout' after `ms` without reads or writes, on the given clock; 0 disables. */
  setTimeout(ms: number, callback?: () => void): this {
    if (this.destroyed) return this;
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
      throw new RangeError(`setTimeout: ms must be a finite number >= 0, got ${String(ms)}`);
    }
    this.timeout = ms;
    this.#idle.set(ms);
    if (callback !== undefined) {
      if (ms === 0) this.removeListener('timeout', callback);
      else this.once('timeout', callback);
    }
    return this;
  }

  /** node:http calls this to count parser activity as socket activity. */
  _unrefTimer(): void {
    this.#idle.touch();
  }

  /** No-op: only real handles keep the event loop alive. */
  ref(): this {
    return this;
  }

  /** No-op: only real handles keep the event loop alive. */
  unref(): this {
    return this;
  }

  /** End after flushing, then destroy (what node:http calls after the last response). */
  destroySoon(): void {
    if (this.writable) this.end();
    if (this.writableFinished) this.destroy();
    else this.once('finish', () => this.destroy());
  }

  /** Destroys with a reset: the peer's next read or write fails with ECONNRESET. */
  resetAndDestroy(): this {
    this.#resetRequested = true;
    return this.destroy();
  }

  /** Stream internals (called by `Readable`): reads up to `size` bytes (at most 64 KiB) from the stream. */
  override _read(size: number): void {
    if (this.#reading) return; // one outstanding read; Readable asks again after the push
    this.#reading = true;
    // Connected (the usual case): no closure per read.
    if (this.#stream !== null) this.#readFrom(this.#stream, size);
    else this.#deferred.push((stream) => this.#readFrom(stream, size));
  }

  #readFrom(stream: Stream, size: number): void {
    stream.read(Math.min(Math.max(1, size), MAX_READ)).then(this.#onRead, this.#onReadFailed);
  }

  readonly #onReadFailed = (err: unknown): void => {
    this.#reading = false;
    if (!this.destroyed) this.destroy(toNodeError(err, 'read'));
  };

  /** Stream internals (called by `Writable`): writes the whole chunk to the stream. */
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.#send(chunk, callback);
  }

  /** Corked writes (node:http's headers plus body) go out as one write. */
  override _writev(
    chunks: Array<{ chunk: Buffer; encoding: BufferEncoding }>,
    callback: (error?: Error | null) => void,
  ): void {
    this.#send(Buffer.concat(chunks.map((c) => c.chunk)), callback);
  }

  /** Stream internals (called by `Writable` on `end()`): half-closes the stream once every write was accepted. */
  override _final(callback: (error?: Error | null) => void): void {
    this.#withStream((stream) => {
      this.#closing = true;
      stream.close().then(
        () => callback(),
        (err: unknown) => callback(toNodeError(err, 'shutdown')),
      );
    });
  }

  /**
   * Like closing a socket's descriptor, with or without an error: the kernel resets the connection
   * when data is left unread (or `resetAndDestroy()` asked for it), and otherwise sends a FIN behind
   * the data already written. After the FIN we keep reading only to reset if the peer sends more, as
   * the kernel would.
   */
  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#idle.cancel();
    // While connecting there is nothing to close: a connection that arrives later is reset.
    this.#deferred.length = 0;
    const stream = this.#stream;
    if (stream !== null) {
      if (this.#resetRequested || this.readableLength > 0) {
        stream.abort();
      } else {
        if (!this.#closing) {
          this.#closing = true;
          stream.close().catch(() => {}); // a connection already reset has nothing left to close
        }
        if (!this.#eof && !this.#reading) {
          this.#reading = true;
          this.#readFrom(stream, MAX_READ);
        }
      }
    }
    callback(error);
  }

  #attach(stream: Stream): void {
    this.#stream = stream;
    this.#local = parseSocketAddress(stream.localAddr);
    this.#remote = parseSocketAddress(stream.peerAddr);
  }

  #onConnect(stream: Stream): void {
    this.connecting = false;
    if (this.destroyed) {
      stream.abort();
      return;
    }
    this.#attach(stream);
    this.emit('connect');
    this.emit('ready');
    for (const run of this.#deferred.splice(0)) run(stream);
  }

  #withStream(run: (stream: Stream) => void): void {
    if (this.#stream === null) this.#deferred.push(run);
    else run(this.#stream);
  }

  readonly #onRead = (data: Uint8Array | null): void => {
    this.#reading = false;
    if (data === null) {
      this.#eof = true;
      if (!this.destroyed) this.push(null);
      return;
    }
    if (this.destroyed) {
      this.#stream?.abort();
      return;
    }
    if (data.length === 0) {
      this._read(MAX_READ);
      return;
    }
    this.#bytesRead += data.length;
    this.#idle.touch();
    this.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  };

  #send(data: Buffer, callback: (error?: Error | null) => void): void {
    if (this.#stream !== null) this.#sendOn(this.#stream, data, callback);
    else this.#deferred.push((stream) => this.#sendOn(stream, data, callback));
  }

  #sendOn(stream: Stream, data: Buffer, callback: (error?: Error | null) => void): void {
    this.#idle.touch();
    stream.writeAll(data).then(
      () => {
        this.#bytesWritten += data.length;
        this.#idle.touch();
        callback();
      },
      (err: unknown) => callback(toNodeError(err, 'write')),
    );
  }
}
