import dns from 'node:dns';
import { Agent, type AgentOptions, type ClientRequestArgs } from 'node:http';
import { isIP } from 'node:net';
import type { NetworkProvider, TimeProvider } from '@moonpool/core';
import { formatSocketAddress } from './socket-address.js';
import { toNodeError } from './socket-errors.js';
import { StreamSocket } from './stream-socket.js';

/**
 * An `http.Agent` whose connections are `Stream`s from a `NetworkProvider`. Host names go through
 * `dns.lookup` (in a hermetic simulation: machine names, and `localhost` for the calling machine).
 */
export class SimHttpAgent extends Agent {
  readonly #network: NetworkProvider;
  readonly #time: TimeProvider;

  constructor(network: NetworkProvider, time: TimeProvider, options?: AgentOptions) {
    super(options);
    this.#network = network;
    this.#time = time;
  }

  /** Returns a socket that is still connecting, as `net.createConnection` does; timeouts run meanwhile. */
  override createConnection(options: ClientRequestArgs): StreamSocket {
    const host = options.host ?? options.hostname ?? 'localhost';
    const port = Number(options.port ?? 80);
    const connected = Promise.resolve()
      .then(() => (isIP(host) !== 0 ? host : dns.promises.lookup(host).then((found) => found.address)))
      .then((ip) => {
        const target = formatSocketAddress(ip, port);
        return this.#network.connect(target).catch((err: unknown) => {
          throw toNodeError(err, 'connect', target);
        });
      });
    // node:http asks net for no-delay sockets; recorded for code that inspects it.
    const socket = new StreamSocket(connected, { time: this.#time }).setNoDelay(true);
    if (options.timeout) socket.setTimeout(options.timeout);
    return socket;
  }
}

/** An agent for `http.request({ host, port, agent })` over `network`; `keepAlive` as `http.Agent`. */
export function httpAgent(network: NetworkProvider, time: TimeProvider, options?: AgentOptions): SimHttpAgent {
  return new SimHttpAgent(network, time, options);
}
