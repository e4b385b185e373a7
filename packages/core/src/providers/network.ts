/**
 * A reliable, ordered byte stream with TCP semantics. It is deliberately small so that both the
 * simulated network and `node:net` can implement it, and so that a `net.Socket`-compatible `Duplex`
 * can be built on top of it.
 */
export interface Stream {
  /** `ip:port` of this end. */
  readonly localAddr: string;
  /** `ip:port` of the other end. */
  readonly peerAddr: string;
  /**
   * Resolves with at least one and at most `maxBytes` bytes, or `null` at end of stream (the peer
   * closed gracefully). Rejects with an `IoError` (`ECONNRESET`) after a reset. One read at a time.
   */
  read(maxBytes?: number): Promise<Uint8Array | null>;
  /**
   * Push-style reading: hands every chunk to `onChunk` as it arrives, in order (the chunk is the
   * caller's to keep), starting with what is already buffered. Resolves at end of stream or as soon as
   * `onChunk` returns false (what follows stays readable); rejects with an `IoError` after a reset, or
   * with what `onChunk` threw. One reader at a time: neither while a `read` is pending nor twice.
   * Cheaper than a `read` loop: no promise and no task switch per chunk.
   */
  consume(onChunk: (chunk: Uint8Array) => boolean): Promise<void>;
  /**
   * Writes a prefix of `data` and resolves with its length, which may be shorter than `data` (a short
   * write). Rejects with an `IoError` (`EPIPE` / `ECONNRESET`) if the stream can no longer be written.
   */
  write(data: Uint8Array): Promise<number>;
  /** Writes all of `data`, looping over short writes. */
  writeAll(data: Uint8Array): Promise<void>;
  /** Graceful half-close: the peer reads everything written so far, then end of stream. */
  close(): Promise<void>;
  /** Reset: pending data is discarded and the peer's next read or write fails. */
  abort(): void;
}

/** A bound server socket from {@link NetworkProvider.bind}, handing out incoming connections. */
export interface Listener {
  /** `ip:port` the listener is bound to (the real port when bound to port 0). */
  localAddr(): string;
  /** Resolves with the next incoming connection and the peer's address. */
  accept(): Promise<[Stream, string]>;
  /** Stops accepting; a pending `accept()` rejects. */
  close(): Promise<void>;
}

/** TCP for servers and clients: `node:net` in production, the simulated network in a simulation. */
export interface NetworkProvider {
  /** Listens on `ip:port`. */
  bind(addr: string): Promise<Listener>;
  /** Opens a connection to `ip:port`. Rejects with an `IoError` (`ECONNREFUSED`, ...). */
  connect(addr: string): Promise<Stream>;
}
