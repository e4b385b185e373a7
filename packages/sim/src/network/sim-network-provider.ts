import type { Listener, NetworkProvider, Stream } from '@moonpool/core';
import type { Machine } from '../kernel/machine.js';
import type { SimNetwork } from './sim-network.js';
import { SimStream } from './connection.js';

/** The simulated network as one machine sees it. */
export class SimNetworkProvider implements NetworkProvider {
  constructor(
    private readonly net: SimNetwork,
    private readonly machine: Machine,
  ) {}

  bind(addr: string): Promise<Listener> {
    return this.net.bind(this.machine, addr);
  }

  connect(addr: string): Promise<Stream> {
    return this.net.connect(this.machine, addr);
  }
}

/**
 * Exempts a connection from every chaos fault (for supervision channels). A no-op for streams that
 * are not simulated, so production code can call it unconditionally.
 */
export function markStable(stream: Stream): void {
  if (stream instanceof SimStream) stream.conn.stable = true;
}
