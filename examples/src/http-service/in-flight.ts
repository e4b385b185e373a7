import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * What a graceful shutdown must wait for and then close, tracked from the server's own events:
 * requests whose response is not yet done, and open connections. (`server.closeIdleConnections()`
 * relies on native bookkeeping that never sees simulated sockets, so the server keeps its own.)
 */
export class InFlight {
  private requests = 0;
  private readonly sockets = new Set<Duplex>();
  private onDrained: (() => void) | null = null;

  constructor(server: Server) {
    server.on('connection', (socket: Duplex) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    server.on('request', (_req, res) => {
      this.requests++;
      res.once('close', () => {
        this.requests--;
        if (this.requests === 0) this.onDrained?.();
      });
    });
  }

  /** Requests whose response is not done yet. */
  get pending(): number {
    return this.requests;
  }

  /** Resolves once no request is in progress. */
  drained(): Promise<void> {
    if (this.requests === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.onDrained = resolve;
    });
  }

  /** Ends every connection still open (after draining, all of them are idle keep-alive ones). */
  endConnections(): void {
    for (const socket of this.sockets) socket.end();
  }
}
