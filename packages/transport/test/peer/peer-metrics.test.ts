// PeerMetrics (SPEC §6.3): bytes and packets both ways, reconnects, failed connects, queue depths,
// on both ends of a connection. Simulated, quiet network, no health monitor (pings would count too).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HEADER_SIZE, type Peer, type PeerMetrics, PeerConfig, type ReliablePacket } from '../../src/index.js';
import { DATA_TOKEN, recordedPeer, recordingServer, text } from '../support/peers.js';
import { forever, PORT, simulate, waitUntil } from '../support/simulate.js';

const PAYLOAD = 100;
const FRAME = HEADER_SIZE + PAYLOAD;
/** A PAYLOAD-byte text starting with `label`. */
const message = (label: string): Uint8Array => text(label.padEnd(PAYLOAD, '.'));

describe('PeerMetrics', () => {
  it('count bytes and packets each way, failed connects and reconnects; queue depths follow the queues', async () => {
    const snapshots: Record<string, Partial<PeerMetrics>> = {};
    let serverPeer: Peer | null = null;
    await simulate({
      server: async (ctx) => {
        await ctx.time.sleep(50);
        // Echoes every message but 'drop', which drops the connection instead.
        await recordingServer(ctx, [], (s, origin) => {
          serverPeer = origin;
          if (s.startsWith('drop')) origin.close();
          else origin.sendUnreliable(DATA_TOKEN, message(s.slice(0, 8)));
        });
        await forever();
      },
      client: async (ctx, [ip]) => {
        const config = PeerConfig.default({ initialReconnectDelay: 100, monitor: null });
        const { peer, log } = recordedPeer(ctx.providers, `${ip as string}:${PORT}`, config);
        // Refused once (nothing listens before 50 ms), connected at 100 ms.
        const kept: ReliablePacket[] = [peer.sendReliable(DATA_TOKEN, message('m0'))];
        snapshots.queued = { reliableQueueDepth: peer.metrics.reliableQueueDepth };
        for (let i = 1; i <= 10; i++) kept.push(peer.sendReliable(DATA_TOKEN, message(`m${i}`)));
        await waitUntil(ctx, () => log.packets.length === 11);
        for (const packet of kept.splice(0)) packet.cancel();
        snapshots.client = peer.metrics;
        snapshots.server = (serverPeer as Peer | null)?.metrics ?? {};
        peer.sendUnreliable(DATA_TOKEN, message('drop'));
        await waitUntil(ctx, () => peer.state === 'backing-off');
        kept.push(peer.sendReliable(DATA_TOKEN, message('again')));
        await waitUntil(ctx, () => log.packets.length === 12);
        kept[0]?.cancel();
        snapshots.after = peer.metrics;
        peer.close();
      },
    });
    assert.deepEqual(snapshots.queued, { reliableQueueDepth: 1 });
    const both = { bytesSent: 11 * FRAME, bytesReceived: 11 * FRAME, packetsSent: 11, packetsReceived: 11 };
    assert.deepEqual(snapshots.client, {
      ...both,
      reconnects: 0,
      disconnects: 0,
      connectionFailures: 1,
      reliableQueueDepth: 0,
      unreliableQueueDepth: 0,
      pingRoundTripMs: null,
    });
    assert.deepEqual(snapshots.server, {
      ...both,
      reconnects: 0,
      disconnects: 0,
      connectionFailures: 0,
      reliableQueueDepth: 0,
      unreliableQueueDepth: 0,
      pingRoundTripMs: null,
    });
    assert.deepEqual(snapshots.after, {
      bytesSent: 13 * FRAME,
      bytesReceived: 12 * FRAME,
      packetsSent: 13,
      packetsReceived: 12,
      reconnects: 1,
      disconnects: 1,
      connectionFailures: 1,
      reliableQueueDepth: 0,
      unreliableQueueDepth: 0,
      pingRoundTripMs: null,
    });
  });
});
