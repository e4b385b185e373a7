import { Endpoint, jsonCodec, NetTransport, NetworkAddress, PeerConfig, type Providers, ServiceEndpoint, wellKnownUid } from 'moonpool';
import { type Ping, PING_WELL_KNOWN, type Pong } from './ping-pong-protocol.js';

export interface PingPongResult {
  /** Pongs that answered their ping (same sequence number), out of `rounds`. */
  readonly matched: number;
  readonly rounds: number;
}

/**
 * The ping-pong client: `rounds` pings, one after another, each with `getReply` (at least once:
 * resent after a reconnect, so a lost connection only delays it). The same code runs in the
 * simulation and as an OS process.
 */
export async function playPingPong(
  providers: Providers,
  server: string,
  rounds: number,
  log: (line: string) => void,
): Promise<PingPongResult> {
  const transport = NetTransport.builder(providers).peerConfig(PeerConfig.localNetwork()).build();
  const endpoint = new Endpoint(NetworkAddress.parse(server), wellKnownUid(PING_WELL_KNOWN));
  const pings = new ServiceEndpoint<Ping, Pong>(transport, endpoint, jsonCodec);
  let matched = 0;
  try {
    for (let seq = 1; seq <= rounds; seq++) {
      const started = providers.time.now();
      const pong = await pings.getReply({ seq }, { timeoutMs: 10_000 });
      const ms = providers.time.now() - started;
      if (pong.seq === seq) matched++;
      log(`ping ${seq}: pong ${pong.seq} (the server's ${ordinal(pong.served)}) in ${ms.toFixed(2)} ms`);
    }
  } finally {
    await transport.close();
  }
  return { matched, rounds };
}

function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}
