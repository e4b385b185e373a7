// The health monitor of outgoing peers (SPEC §6.3): PING every pingInterval, PONG expected within
// pingTimeout; a timeout while other bytes arrived is tolerated up to maxToleratedTimeouts in a row,
// otherwise the connection is torn down (and made again, since the peer still has work).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { wellKnownUid, WellKnownToken } from '@moonpool/core';
import { encodePacket, MonitorConfig, NetTransport, PeerConfig } from '../../src/index.js';
import { DATA_TOKEN, downTimes, rawServer, recordedPeer, recordingServer, text, upTimes } from '../support/peers.js';
import { forever, PORT, simulate, waitUntil } from '../support/simulate.js';
import { stallWrites } from '../support/tap.js';

const monitor = MonitorConfig.default({ pingInterval: 100, pingTimeout: 200, maxToleratedTimeouts: 3 });
const config = PeerConfig.default({ initialReconnectDelay: 100, connectionTimeout: 500, monitor });

/** ms from each connection to its teardown. */
const lifetimes = (ups: readonly number[], downs: readonly number[]): number[] =>
  downs.map((down, i) => Math.round(down - (ups[i] as number)));

describe('Peer: health monitor', () => {
  it('a server that never answers (nor sends anything) is torn down one interval + timeout after connecting', async () => {
    let lives: number[] = [];
    await simulate({
      server: (ctx) => rawServer(ctx),
      client: async (ctx, [ip]) => {
        const { peer, log } = recordedPeer(ctx.providers, `${ip as string}:${PORT}`, config);
        peer.sendReliable(DATA_TOKEN, text('kept')); // keeps the peer reconnecting
        await ctx.time.sleep(1000);
        lives = lifetimes(upTimes(log), downTimes(log));
        peer.close();
      },
    });
    // Up at 0, down at 300; up at 400 (100 ms backoff), down at 700; up at 800...
    assert.deepEqual(lives, [300, 300]);
  });

  it('a busy server (bytes arrive, no pongs) is tolerated maxToleratedTimeouts times, then torn down', async () => {
    let lives: number[] = [];
    let chatter = 0;
    await simulate({
      server: (ctx) => rawServer(ctx, 50),
      client: async (ctx, [ip]) => {
        const { peer, log } = recordedPeer(ctx.providers, `${ip as string}:${PORT}`, config);
        peer.sendReliable(DATA_TOKEN, text('kept'));
        await ctx.time.sleep(1500);
        lives = lifetimes(upTimes(log), downTimes(log));
        chatter = log.packets.length;
        peer.close();
      },
    });
    // Three tolerated timeouts and a fourth fatal one: 4 × (100 + 200) ms.
    assert.deepEqual(lives, [1200]);
    assert.ok(chatter > 20, `the server's packets reached the client (${chatter})`);
  });

  it('a healthy server keeps the connection up, and the ping round trip is measured', async () => {
    const seen: string[] = [];
    await simulate({
      seeds: [1, 2],
      server: async (ctx) => {
        await recordingServer(ctx, seen);
        await forever();
      },
      client: async (ctx, [ip]) => {
        const { peer, log } = recordedPeer(ctx.providers, `${ip as string}:${PORT}`, config);
        peer.sendUnreliable(DATA_TOKEN, text('hello'));
        await ctx.time.sleep(10_000);
        assert.equal(downTimes(log).length, 0);
        assert.equal(upTimes(log).length, 1);
        const rtt = peer.metrics.pingRoundTripMs;
        assert.ok(rtt !== null && rtt >= 0 && rtt < 1, `a round trip on the quiet network: ${String(rtt)} ms`);
        // About one ping per interval went out, each answered.
        assert.ok(peer.metrics.packetsSent >= 90 && peer.metrics.packetsReceived >= 90, JSON.stringify(peer.metrics));
        peer.close();
      },
    });
    assert.deepEqual(seen, ['hello', 'hello'], 'pings never reach the application');
  });

  it('pongs cut off by a one-way partition: torn down within interval + timeout, reconnected after the heal', async () => {
    const seen: string[] = [];
    const runs: { down: number; reup: number }[] = [];
    await simulate({
      seeds: [1, 2, 3],
      server: async (ctx) => {
        await recordingServer(ctx, seen);
        await forever();
      },
      // From 1000 to 2500 ms nothing the server sends arrives (its replies and pongs).
      faults: async (f) => {
        await f.time.sleep(1000);
        f.partitionSendFrom(f.processIps[0] as string, 1500);
      },
      client: async (ctx, [ip]) => {
        const { peer, log } = recordedPeer(ctx.providers, `${ip as string}:${PORT}`, config);
        peer.sendReliable(DATA_TOKEN, text('kept'));
        await ctx.time.sleep(1200);
        // Sent during the partition: it reaches the server (only the other direction is cut).
        peer.sendUnreliable(DATA_TOKEN, text('during'));
        await ctx.time.sleep(3800);
        const downs = downTimes(log);
        const ups = upTimes(log);
        assert.equal(downs.length, 1, JSON.stringify(log.status));
        runs.push({ down: downs[0] as number, reup: ups[1] as number });
        peer.close();
      },
    });
    for (const { down, reup } of runs) {
      assert.ok(down >= 1200 && down <= 1300.1, `torn down at ${down} ms`);
      assert.ok(reup >= 2500 && reup < 3100, `connected again at ${reup} ms`);
    }
    // Each seed: the kept message on both connections, the unreliable one once.
    assert.deepEqual(seen, Array(3).fill(['kept', 'during', 'kept']).flat());
  });

  it('answers a flood of pings it cannot write with one pending pong, not one each (memory stays bounded)', async () => {
    const depths: number[] = [];
    let server: NetTransport | null = null;
    await simulate({
      // The server's writes never complete: pongs cannot leave.
      server: async (ctx) => {
        server = NetTransport.builder(stallWrites(ctx.providers)).build();
        await server.listen(`${ctx.myIp}:${PORT}`);
        await forever();
      },
      client: async (ctx, [ip]) => {
        const stream = await ctx.network.connect(`${ip as string}:${PORT}`);
        const ping = (sequence: number): Uint8Array => {
          const payload = new Uint8Array(5); // kind 0 (ping), sequence
          new DataView(payload.buffer).setUint32(1, sequence, true);
          return encodePacket(wellKnownUid(WellKnownToken.Ping), payload);
        };
        for (let i = 0; i < 10_000; i++) await stream.writeAll(ping(i));
        const peer = () => (server as NetTransport | null)?.peer(stream.localAddr);
        await waitUntil(ctx, () => peer()?.metrics.packetsReceived === 10_000);
        depths.push(peer()?.metrics.unreliableQueueDepth ?? -1);
        stream.abort();
      },
    });
    assert.deepEqual(depths, [1]);
  });
});
