import {
  createServer,
  ServerResponse,
  type IncomingMessage,
  type RequestListener,
  type Server as HttpServer,
  type ServerOptions,
} from 'node:http';
import type { Server } from 'node:net';
import type { Listener, Stream, TimeProvider } from '@moonpool/core';
import { StreamSocket } from './stream-socket.js';

/** The longest delay Node's timers accept; a larger one is clamped to 1 ms with a warning. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The options `net.Server` keeps on the instance and applies to each accepted socket. */
interface NetServerSettings {
  allowHalfOpen?: boolean;
  noDelay?: boolean;
  keepAlive?: boolean;
  /** Seconds. */
  keepAliveInitialDelay?: number;
  highWaterMark?: number;
}

/** Returned by `serveHttp`: the handle that stops feeding the listener's connections to the server. */
export interface HttpServing {
  /** Stops accepting and closes the listener; open connections are left to the server and peers. */
  close(): Promise<void>;
}

/**
 * Feeds connections accepted on `listener` to `server` as `net.Server` itself does: a 'connection'
 * event per socket. Works for any `net.Server`, `http.Server` included; the server never listens.
 */
export function serveHttp(server: Server, listener: Listener, time: TimeProvider): HttpServing {
  let closing = false;
  const accepting = (async () => {
    for (;;) {
      let stream: Stream;
      try {
        [stream] = await listener.accept();
      } catch (err) {
        if (closing) return;
        // net.Server reports accept failures as 'error'; with no listener, fail loudly as it would.
        if (server.listenerCount('error') === 0) throw err;
        server.emit('error', err);
        return;
      }
      server.emit('connection', acceptedSocket(server as Server & NetServerSettings, stream, time));
    }
  })();
  return {
    async close() {
      closing = true;
      await listener.close();
      await accepting.catch(() => {});
    },
  };
}

function acceptedSocket(server: NetServerSettings, stream: Stream, time: TimeProvider): StreamSocket {
  const socket = new StreamSocket(stream, {
    time,
    allowHalfOpen: server.allowHalfOpen ?? false,
    readableHighWaterMark: server.highWaterMark,
    writableHighWaterMark: server.highWaterMark,
  });
  if (server.noDelay) socket.setNoDelay(true);
  if (server.keepAlive) socket.setKeepAlive(true, (server.keepAliveInitialDelay ?? 0) * 1000);
  return socket;
}

/** Responses without the `Date` header, which reads the wall clock (and caches it on a real timer). */
class SimServerResponse<Request extends IncomingMessage = IncomingMessage> extends ServerResponse<Request> {
  constructor(req: Request) {
    super(req);
    this.sendDate = false;
  }
}

/**
 * `http.createServer` without the parts that read real time: no `Date` header, and the headers and
 * request timeouts (checked on a real interval against the real clock) switched off. Idle and
 * keep-alive timeouts still work: they go through `socket.setTimeout`, which runs on `time`.
 */
export function createSimHttpServer(handler?: RequestListener, options: ServerOptions = {}): HttpServer {
  return createServer(
    {
      ...options,
      ServerResponse: SimServerResponse,
      headersTimeout: 0,
      requestTimeout: 0,
      connectionsCheckingInterval: MAX_TIMER_MS,
    },
    handler,
  );
}
