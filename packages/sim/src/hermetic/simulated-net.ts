import type { Duplex } from 'node:stream';
import type { Machine } from '../kernel/machine.js';

/** What hermetic mode needs of the iteration's network to serve `dns.lookup` and `net.connect`. */
export interface SimulatedNet {
  /** The IPs `host` (a machine's name or `localhost`) stands for, seen from `from`; empty if unknown. */
  resolve(host: string, from: Machine): readonly string[];
  /** A socket of `from` connecting to `ip:port`, as `net.connect` returns one. */
  connect(from: Machine, ip: string, port: number): Duplex;
}

let net: SimulatedNet | null = null;

/** The running iteration's network (null between iterations or without a network). */
export function simulatedNet(): SimulatedNet | null {
  return net;
}

/** Set by the engine for each iteration in hermetic mode; cleared when the iteration ends. */
export function useSimulatedNet(next: SimulatedNet | null): void {
  net = next;
}
