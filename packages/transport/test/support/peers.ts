// Peers driven directly by tests (no transport): a recorder of what a peer tells its owner, a
// receiver that records what a transport gets, and raw servers that misbehave on purpose.
import { UID } from '@moonpool/core';
import type { SimContext } from '@moonpool/sim';
import {
  encodePacket,
  type MessageReceiver,
  type MessagingError,
  NetTransport,
  Peer,
  type PeerConfig,
  type PeerProviders,
} from '../../src/index.js';
import { PORT } from './simulate.js';

/** The token raw test traffic is sent to. */
export const DATA_TOKEN = new UID(0xda7an, 1n);

const encoder = new TextEncoder();
const decoder = new TextDecoder();
export const text = (s: string): Uint8Array => encoder.encode(s);
export const untext = (b: Uint8Array): string => decoder.decode(b);

/** What an outgoing peer reported, with simulated times. */
export interface PeerLog {
  /** Connection up (true) or down / not made (false), in order (a drop is `onDisconnect`). */
  readonly status: { readonly at: number; readonly up: boolean }[];
  /** Application packets received, as text. */
  readonly packets: string[];
  closed: MessagingError | null;
}

/** An outgoing peer to `address` whose events are recorded. */
export function recordedPeer(
  providers: PeerProviders,
  address: string,
  config: PeerConfig,
): { peer: Peer; log: PeerLog } {
  const log: PeerLog = { status: [], packets: [], closed: null };
  const peer = Peer.outgoing(address, providers, config, {
    onPacket: (packet) => log.packets.push(untext(packet.payload)),
    onStatus: (_peer, up) => log.status.push({ at: providers.time.now(), up }),
    // For these logs a dropped connection is "down" like a failed connect.
    onDisconnect: () => log.status.push({ at: providers.time.now(), up: false }),
    onClosed: (_peer, error) => {
      log.closed = error;
    },
  });
  return { peer, log };
}

/** Times the connection went down after having been up (connect failures before it are left out). */
export function downTimes(log: PeerLog): number[] {
  const out: number[] = [];
  let up = false;
  for (const s of log.status) {
    if (!s.up && up) out.push(s.at);
    up = s.up;
  }
  return out;
}

export function upTimes(log: PeerLog): number[] {
  return log.status.filter((s) => s.up).map((s) => s.at);
}

/**
 * A transport listening on `ip:PORT` that records the text of every packet sent to DATA_TOKEN;
 * `onPacket` may act on it (drop the connection it came on, answer...).
 */
export async function recordingServer(
  ctx: SimContext,
  seen: string[],
  onPacket: (text: string, origin: Peer, transport: NetTransport) => void = () => undefined,
): Promise<NetTransport> {
  const transport = NetTransport.builder(ctx.providers).build();
  await transport.listen(`${ctx.myIp}:${PORT}`);
  const receiver: MessageReceiver = {
    receive: (payload, origin) => {
      const s = untext(payload);
      seen.push(s);
      onPacket(s, origin, transport);
    },
  };
  transport.register(DATA_TOKEN, receiver);
  return transport;
}

/**
 * A raw server that accepts connections on `ip:PORT` and reads (and drops) whatever comes, never
 * answering a ping. With `chatterMs` it also writes a packet to DATA_TOKEN that often: bytes keep
 * arriving at the client while its pings go unanswered (a busy server, not a dead one).
 */
export async function rawServer(ctx: SimContext, chatterMs: number | null = null): Promise<never> {
  const listener = await ctx.network.bind(`${ctx.myIp}:${PORT}`);
  for (;;) {
    const [stream] = await listener.accept();
    ctx.task.spawn('raw reader', async () => {
      try {
        while ((await stream.read()) !== null);
      } catch {
        // reset by the client
      }
    });
    if (chatterMs !== null) {
      ctx.task.spawn('raw chatter', async () => {
        try {
          for (let i = 0; ; i++) {
            await stream.writeAll(encodePacket(DATA_TOKEN, text(`chatter ${i}`)));
            await ctx.time.sleep(chatterMs);
          }
        } catch {
          // reset by the client
        }
      });
    }
  }
}
