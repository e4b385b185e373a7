import { createServer, connect as netConnect, type Server, type Socket } from 'node:net';
import { IoError } from '../errors.js';
import type { Listener, NetworkProvider, Stream } from '../providers/network.js';
import { NetworkAddress } from '../types/network-address.js';
import { toIoError } from './io-error.js';
import { type ChunkSink, NodeStream, readingIntoScratch } from './node-stream.js';

interface Waiter {
  resolve: (conn: [Stream, string]) => void;
  reject: (err: Error) => void;
}

class NodeListener implements Listener {
  readonly #server: Server;
  readonly #addr: string;
  readonly #queue: NodeStream[] = [];
  readonly #waiters: Waiter[] = [];
  #closed = false;

  constructor(server: Server, addr: string) {
    this.#server = server;
    this.#addr = addr;
    server.on('connection', (socket: Socket) => this.#onConnection(socket));
    server.on('error', (err) => this.#rejectWaiters(toIoError(err)));
  }

  localAddr(): string {
    return this.#addr;
  }

  accept(): Promise<[Stream, string]> {
    const stream = this.#queue.shift();
    if (stream) return Promise.resolve([stream, stream.peerAddr]);
    if (this.#closed) return Promise.reject(new IoError('EBADF', 'listener is closed'));
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    // server.close() frees the port now but calls back only when every connection ends; don't wait.
    this.#server.close();
    for (const stream of this.#queue.splice(0)) stream.abort();
    this.#rejectWaiters(new IoError('EBADF', 'listener is closed'));
    return Promise.resolve();
  }

  #onConnection(socket: Socket): void {
    let stream: NodeStream;
    try {
      stream = new NodeStream(socket);
    } catch {
      // Reset before we could read its addresses: there is nothing left to accept.
      socket.destroy();
      return;
    }
    const waiter = this.#waiters.shift();
    if (waiter) waiter.resolve([stream, stream.peerAddr]);
    else this.#queue.push(stream);
  }

  #rejectWaiters(err: Error): void {
    for (const waiter of this.#waiters.splice(0)) waiter.reject(err);
  }
}

/** TCP on node:net. Both ends allow half-open connections, as the `Stream` contract requires. */
export class NodeNetworkProvider implements NetworkProvider {
  async bind(addr: string): Promise<Listener> {
    const { ip, port } = NetworkAddress.parse(addr);
    // No Nagle delay on accepted sockets either: request/response traffic is latency-bound.
    const server = createServer({ allowHalfOpen: true, noDelay: true });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err) => reject(toIoError(err)));
      server.listen({ host: ip, port }, () => resolve());
    });
    server.removeAllListeners('error');
    const bound = server.address();
    if (bound === null || typeof bound === 'string') {
      server.close();
      throw new IoError('EIO', `unexpected listening address for ${addr}`);
    }
    return new NodeListener(server, new NetworkAddress(bound.address, bound.port).toString());
  }

  async connect(addr: string): Promise<Stream> {
    const { ip, port } = NetworkAddress.parse(addr);
    return new Promise((resolve, reject) => {
      const sink: ChunkSink = { receive: null, early: [] };
      const socket = netConnect({ host: ip, port, allowHalfOpen: true, noDelay: true, ...readingIntoScratch(sink) });
      const onError = (err: Error): void => reject(toIoError(err));
      socket.once('error', onError);
      socket.once('connect', () => {
        socket.off('error', onError);
        try {
          resolve(new NodeStream(socket, sink));
        } catch (err) {
          socket.destroy();
          reject(toIoError(err));
        }
      });
    });
  }
}
