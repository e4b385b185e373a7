import type { Listener, NetworkProvider, Stream } from '@moonpool/core';
import type { Machine } from '../kernel/machine.js';
import type { SimNetwork } from './sim-network.js';
import { SimStream } from './connection.js';

/** A machine's network, or how to get it: a cluster builds its network on first use. */
export type NetworkSource = SimNetwork | (() => SimNetwork);

/** The simulated network as one machine sees it. */
export class SimNetworkProvider implements NetworkProvider {
  constructor(
    private readonly source: NetworkSource,
    private readonly machine: Machine,
  ) {}

  bind(addr: string): Promise<Listener> {
    return this.net().bind(this.machine, addr);
  }

  connect(addr: string): Promise<Stream> {
    return this.net().connect(this.machine, addr);
  }

  private net(): SimNetwork {
    const source = this.source;
    return typeof source === 'function' ? source() : source;
  }
}

/**
 * Exempts a connection from every chaos fault (for supervision channels). A no-op for streams that
 * are not simulated, so production code can call it unconditionally.
 */
export function markStable(stream: Stream): void {
  if (stream instanceof SimStream) stream.conn.stable = true;
}
