import { IoError, type Listener } from '@moonpool/core';
import type { Machine } from '../kernel/machine.js';
import { never } from '../kernel/tasks.js';
import type { SimStream } from './connection.js';

interface PendingAccept {
  resolve: (value: [SimStream, string]) => void;
  reject: (err: Error) => void;
}

/** A bound address accepting simulated connections. */
export class SimListener implements Listener {
  private readonly backlog: SimStream[] = [];
  /** Pending accepts, served in order (any number may wait, as with Node). */
  private readonly waiters: PendingAccept[] = [];
  open = true;
  private readonly generation: number;

  constructor(
    private readonly net: { unbind(listener: SimListener): void },
    readonly machine: Machine,
    readonly addr: string,
  ) {
    this.generation = machine.generation;
  }

  localAddr(): string {
    return this.addr;
  }

  accept(): Promise<[SimStream, string]> {
    if (!this.machine.isLive(this.generation)) return never();
    if (!this.open) return Promise.reject(new IoError('EBADF', `listener ${this.addr} is closed`));
    const next = this.backlog.shift();
    if (next) return Promise.resolve([next, next.peerAddr]);
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
    });
  }

  close(): Promise<void> {
    if (!this.open) return Promise.resolve();
    this.shutdown();
    this.net.unbind(this);
    for (const waiter of this.waiters.splice(0)) {
      waiter.reject(new IoError('EBADF', `listener ${this.addr} closed`));
    }
    return Promise.resolve();
  }

  /** Stops accepting; queued, never-accepted connections are reset. */
  shutdown(): void {
    this.open = false;
    for (const stream of this.backlog.splice(0)) stream.abort();
  }

  /** A connection completed its handshake: hand it to a waiting `accept`, or queue it. */
  enqueue(stream: SimStream): boolean {
    if (!this.open) {
      stream.abort();
      return false;
    }
    const waiter = this.machine.isLive(this.generation) ? this.waiters.shift() : undefined;
    if (waiter) {
      waiter.resolve([stream, stream.peerAddr]);
      return true;
    }
    this.backlog.push(stream);
    return false;
  }
}
