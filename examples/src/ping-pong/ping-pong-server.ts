import { jsonCodec, NetTransport, type NetworkAddress, PeerConfig, type Providers, RequestStream } from 'moonpool';
import { type Ping, PING_WELL_KNOWN, type Pong } from './ping-pong-protocol.js';

/** A running ping-pong server. */
export interface PingPongServer {
  readonly address: NetworkAddress;
  /** Pings answered so far. */
  readonly served: number;
  /** Stops serving (pings not answered yet get `BrokenPromise`) and closes the transport. */
  stop(): Promise<void>;
}

/**
 * The ping-pong server, a raw `RequestStream`: listens on `listenOn` (`ip:port`; port 0 picks one)
 * and answers every ping with a pong carrying the same sequence number. The same code runs in the
 * simulation (simulated providers) and as an OS process (`NodeProviders`).
 */
export async function startPingPongServer(
  providers: Providers,
  listenOn: string,
  log: (line: string) => void,
): Promise<PingPongServer> {
  const transport = NetTransport.builder(providers).peerConfig(PeerConfig.localNetwork()).build();
  const address = await transport.listen(listenOn);
  const pings = new RequestStream<Ping, Pong>(transport, { wellKnown: PING_WELL_KNOWN }, jsonCodec);
  let served = 0;
  const serving = providers.task.spawn('ping-pong server', async () => {
    for await (const [ping, reply] of pings) {
      served++;
      log(`ping ${ping.seq} -> pong`);
      reply.send({ seq: ping.seq, served });
    }
  });
  return {
    address,
    get served() {
      return served;
    },
    async stop() {
      pings.close();
      await serving.join();
      await transport.close();
    },
  };
}
