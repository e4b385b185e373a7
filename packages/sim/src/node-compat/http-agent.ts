import { Agent, type AgentOptions, type ClientRequestArgs } from 'node:http';
import type { Duplex } from 'node:stream';
import type { NetworkProvider, TimeProvider } from '@moonpool/core';
import { formatSocketAddress } from './socket-address.js';
import { toNodeError } from './socket-errors.js';
import { StreamSocket } from './stream-socket.js';

/** An `http.Agent` whose connections are `Stream`s from a `NetworkProvider` (no DNS: hosts are IPs). */
export class SimHttpAgent extends Agent {
  readonly #network: NetworkProvider;
  readonly #time: TimeProvider;

  constructor(network: NetworkProvider, time: TimeProvider, options?: AgentOptions) {
    super(options);
    this.#network = network;
    this.#time = time;
  }

  /** Connects asynchronously and hands the socket to `callback`, as the agent allows. */
  override createConnection(
    options: ClientRequestArgs,
    callback?: (err: Error | null, stream: Duplex) => void,
  ): undefined {
    if (callback === undefined) throw new TypeError('createConnection: a callback is required');
    const host = options.host ?? options.hostname ?? 'localhost';
    const target = formatSocketAddress(host, Number(options.port ?? 80));
    Promise.resolve()
      .then(() => this.#network.connect(target))
      .then(
        (stream) => {
          // node:http asks net for no-delay sockets; recorded for code that inspects it.
          callback(null, new StreamSocket(stream, { time: this.#time }).setNoDelay(true));
        },
        (err: unknown) => (callback as (err: Error) => void)(toNodeError(err, 'connect', target)),
      );
    return undefined;
  }
}

/** An agent for `http.request({ host, port, agent })` over `network`; `keepAlive` as `http.Agent`. */
export function httpAgent(network: NetworkProvider, time: TimeProvider, options?: AgentOptions): SimHttpAgent {
  return new SimHttpAgent(network, time, options);
}
