import type { Duplex } from 'node:stream';
import type { SimulatedNet } from '../hermetic/simulated-net.js';
import type { Machine } from '../kernel/machine.js';
import { SimNetworkProvider } from '../network/sim-network-provider.js';
import { formatSocketAddress } from '../node-compat/socket-address.js';
import { toNodeError } from '../node-compat/socket-errors.js';
import { StreamSocket } from '../node-compat/stream-socket.js';
import { SimTimeProvider } from '../providers/sim-time.js';
import type { Cluster } from './cluster.js';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1']);

/**
 * The cluster's network for unmodified code in hermetic mode: a machine's name stands for its IP (a
 * name several machines share, for all of theirs, in boot order), `localhost` and the loopback
 * addresses for the calling machine itself; `net.connect` gets a `StreamSocket` over the simulated
 * network.
 */
export function clusterNet(cluster: Cluster): SimulatedNet {
  return {
    resolve(host: string, from: Machine): readonly string[] {
      if (LOOPBACK.has(host.toLowerCase())) return [from.ip];
      return cluster.ipsByName.get(host) ?? [];
    },
    connect(from: Machine, ip: string, port: number): Duplex {
      const target = formatSocketAddress(LOOPBACK.has(ip) ? from.ip : ip, port);
      const network = new SimNetworkProvider(cluster.networkSource, from);
      const connected = network.connect(target).catch((err: unknown) => {
        throw toNodeError(err, 'connect', target);
      });
      return new StreamSocket(connected, { time: new SimTimeProvider(cluster.world, from) });
    },
  };
}
