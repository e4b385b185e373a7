import { IoError, type SimContext, type Stream, TimeoutError } from 'moonpool';
import { encodeFrame, FrameError } from './kv-frame.js';
import { FrameReader } from './kv-frame-reader.js';
import { KV_PORT, ownerOf } from './kv-keys.js';
import { decodeResponse, encodeRequest, type KvRequest, type KvResponse } from './kv-messages.js';

export interface KvClientOptions {
  /** Limit for opening a connection (a lost SYN never completes on its own). */
  readonly connectTimeoutMs: number;
  /** Limit for one attempt: sending the request and reading its reply. */
  readonly requestTimeoutMs: number;
  /** Cap of the exponential backoff between attempts. */
  readonly maxBackoffMs: number;
}

export const DEFAULT_CLIENT_OPTIONS: KvClientOptions = {
  connectTimeoutMs: 200,
  requestTimeoutMs: 300,
  maxBackoffMs: 500,
};

/** How a request went: its reply, and what it took to get it. */
export interface KvOutcome {
  readonly response: KvResponse;
  readonly attempts: number;
  /** An attempt failed because the connection was reset or closed under it. */
  readonly retriedAfterReset: boolean;
}

/** One open connection to a server (only one request is in flight on it at a time). */
interface Connection {
  readonly stream: Stream;
  readonly reader: FrameReader;
}

/**
 * Client of the KV servers: routes each key to its owner, keeps one connection per server, and
 * retries a request until it gets an answer. Every failure (refused or hung connect, reset, end of
 * stream, corrupt frame, timeout, server error) drops the connection and retries on a fresh one
 * after a randomised exponential backoff, with a fresh request id. A failed mutation is ambiguous:
 * it may have been applied, so retrying it until acknowledged is what makes its outcome known.
 */
export class KvClient {
  private readonly connections = new Map<string, Connection>();
  private nextId = 1;

  constructor(
    private readonly ctx: SimContext,
    private readonly options: KvClientOptions = DEFAULT_CLIENT_OPTIONS,
  ) {}

  /** The server owning `key`. */
  serverFor(key: string): string {
    return ownerOf(key, this.ctx.topology.processIps);
  }

  get(key: string): Promise<KvOutcome> {
    return this.call(key, (id) => ({ op: 'get', id, key }));
  }

  set(key: string, value: string): Promise<KvOutcome> {
    return this.call(key, (id) => ({ op: 'set', id, key, value }));
  }

  delete(key: string): Promise<KvOutcome> {
    return this.call(key, (id) => ({ op: 'delete', id, key }));
  }

  /** Closes every connection gracefully (the servers see end of stream). */
  async close(): Promise<void> {
    for (const { stream } of this.connections.values()) await stream.close().catch(() => {});
    this.connections.clear();
  }

  private async call(key: string, request: (id: number) => KvRequest): Promise<KvOutcome> {
    const ip = this.serverFor(key);
    let retriedAfterReset = false;
    for (let attempt = 1; ; attempt++) {
      const req = request(this.nextId);
      this.nextId = (this.nextId + 1) >>> 0;
      try {
        const conn = await this.connection(ip);
        const response = await this.ctx.time.timeout(this.options.requestTimeoutMs, exchange(conn, req));
        if (response.status !== 'error') return { response, attempts: attempt, retriedAfterReset };
      } catch (err) {
        if (!isRetryable(err)) throw err;
        this.drop(ip);
        if (isReset(err)) retriedAfterReset = true;
      }
      const backoff = Math.min(this.options.maxBackoffMs, 5 * 2 ** Math.min(attempt, 10));
      await this.ctx.time.sleep(this.ctx.random.randomRangeFloat(backoff / 2, backoff));
    }
  }

  private async connection(ip: string): Promise<Connection> {
    const open = this.connections.get(ip);
    if (open !== undefined) return open;
    const pending = this.ctx.network.connect(`${ip}:${KV_PORT}`);
    let stream: Stream;
    try {
      stream = await this.ctx.time.timeout(this.options.connectTimeoutMs, pending);
    } catch (err) {
      // A connect that completes after we gave up must not linger as a leaked connection.
      pending.then((late) => late.abort(), () => {});
      throw err;
    }
    const conn = { stream, reader: new FrameReader(stream) };
    this.connections.set(ip, conn);
    return conn;
  }

  /** Resets the connection to `ip`: whatever is in flight on it is discarded. */
  private drop(ip: string): void {
    this.connections.get(ip)?.stream.abort();
    this.connections.delete(ip);
  }
}

/** Sends `req` and reads its reply. */
async function exchange(conn: Connection, req: KvRequest): Promise<KvResponse> {
  await conn.stream.writeAll(encodeFrame(encodeRequest(req)));
  const payload = await conn.reader.next();
  if (payload === null) throw new IoError('ENOTCONN', 'the server closed the connection');
  const response = decodeResponse(payload);
  if (response.id !== req.id) throw new FrameError(`reply to request ${response.id}, expected ${req.id}`);
  return response;
}

function isRetryable(err: unknown): boolean {
  return err instanceof IoError || err instanceof TimeoutError || err instanceof FrameError;
}

/** The connection went away under the request (as opposed to a timeout or corruption). */
function isReset(err: unknown): boolean {
  return err instanceof IoError && (err.code === 'ECONNRESET' || err.code === 'EPIPE' || err.code === 'ENOTCONN');
}
