// Peer (SPEC §6.3): lazy connection, exponential backoff reset by a success, giving up after
// maxConnectionFailures, reliable messages resent first on a new connection (at least once),
// unreliable ones dropped when a connection fails, bounded queues. Simulated, quiet network.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NetTransport, PeerConfig } from '../../src/index.js';
import { adderAt, serveAdder } from '../support/adder.js';
import { DATA_TOKEN, downTimes, recordedPeer, recordingServer, text, upTimes } from '../support/peers.js';
import {
  forever,
  gaps,
  isMessagingError,
  isolate,
  isReplyError,
  outcome,
  PORT,
  simulate,
  sleepUntil,
  waitUntil,
  watchConnects,
} from '../support/simulate.js';

describe('Peer: connecting', () => {
  it('connects only once something is queued, backs off 100 → 1000 ms doubling, starts over after a success', async () => {
    const seen: string[] = [];
    let attempts: number[] = [];
    let ups: number[] = [];
    await simulate({
      // Nothing listens until 5 s; the first connection is dropped by the server, which listens
      // again only at 6.5 s.
      server: async (ctx) => {
        await sleepUntil(ctx, 5000);
        await recordingServer(ctx, seen, (_s, _origin, transport) => void transport.close());
        await sleepUntil(ctx, 6500);
        await recordingServer(ctx, seen);
        await forever();
      },
      client: async (ctx, [ip]) => {
        attempts = [];
        const providers = watchConnects(ctx.providers, attempts);
        const config = PeerConfig.default({ initialReconnectDelay: 100, maxReconnectDelay: 1000, monitor: null });
        const { peer, log } = recordedPeer(providers, `${ip as string}:${PORT}`, config);
        await ctx.time.sleep(1000);
        assert.deepEqual(attempts, [], 'an idle peer does not connect');
        assert.equal(peer.state, 'idle');
        peer.sendReliable(DATA_TOKEN, text('kept')); // never cancelled: resent on every connection
        await sleepUntil(ctx, 8000);
        ups = upTimes(log);
        peer.close();
      },
    });
    assert.equal(Math.round(attempts[0] as number), 1000, 'the first attempt comes with the first message');
    // Refused at 1000, 1100, 1300, 1700, 2500, 3500, 4500; connected at 5500 and dropped at once;
    // then the delay starts over: refused at 5600, 5800, 6200; connected at 7000.
    assert.deepEqual(gaps(attempts), [100, 200, 400, 800, 1000, 1000, 1000, 100, 200, 400, 800]);
    assert.deepEqual(ups.map(Math.round), [5500, 7000]);
    assert.deepEqual(seen, ['kept', 'kept'], 'the kept message is written again on the new connection');
  });

  it('a connect that hangs (partition) fails at connectionTimeout and is retried; late connections are reset', async () => {
    let attempts: number[] = [];
    let server: NetTransport | null = null;
    const serverPeers: number[] = [];
    await simulate({
      server: async (ctx) => {
        server = await recordingServer(ctx, []);
        await forever();
      },
      // The server is unreachable until 3 s: connects hang (SYNs are retried) until it heals.
      faults: async (f) => isolate(f, f.processIps[0] as string, 3000),
      client: async (ctx, [ip]) => {
        attempts = [];
        const providers = watchConnects(ctx.providers, attempts);
        const config = PeerConfig.default({ initialReconnectDelay: 100, connectionTimeout: 500, monitor: null });
        const { peer, log } = recordedPeer(providers, `${ip as string}:${PORT}`, config);
        peer.sendReliable(DATA_TOKEN, text('kept'));
        await waitUntil(ctx, () => upTimes(log).length === 1);
        assert.equal(peer.metrics.connectionFailures, 4);
        // The four connects that timed out went through once the partition healed: each was reset.
        await ctx.time.sleep(1000);
        serverPeers.push((server as NetTransport | null)?.peerCount ?? -1);
        peer.close();
      },
    });
    // Timed out at 500, 1100, 1800, 2700; backoff 100, 200, 400, 800; connected at 3500.
    assert.deepEqual(gaps(attempts), [600, 700, 900, 1300]);
    assert.deepEqual(serverPeers, [1]);
  });

  it('gives up after maxConnectionFailures: getReply rejects ConnectionFailed then, not at its timeout', async () => {
    const outcomes: string[] = [];
    await simulate({
      seeds: [1, 2, 3],
      server: async (ctx) => {
        await sleepUntil(ctx, 1000);
        await serveAdder(ctx);
      },
      client: async (ctx, [ip]) => {
        const config = PeerConfig.localNetwork({ maxConnectionFailures: 3, initialReconnectDelay: 10 });
        const transport = NetTransport.builder(ctx.providers).peerConfig(config).build();
        const adder = adderAt(transport, ip as string);
        const started = ctx.time.now();
        let failedAt = 0;
        let maybeAt = 0;
        const reliable = adder.getReply({ a: 1, b: 1 }).finally(() => (failedAt = ctx.time.now()));
        const once = adder.tryGetReply({ a: 2, b: 2 }).finally(() => (maybeAt = ctx.time.now()));
        outcomes.push(await outcome(reliable), await outcome(once));
        // Three refused connects, 10 and 20 ms apart: given up 30 ms after the first.
        assert.equal(Math.round(failedAt - started), 30);
        // The unreliable request was lost with the first failed connect.
        assert.equal(Math.round(maybeAt - started), 0);
        assert.equal(transport.peerCount, 0, 'the peer that gave up is gone');
        assert.equal(transport.failureMonitor.state(adder.endpoint), 'failed');
        // A later request gets a fresh peer, which connects to the server now listening.
        await sleepUntil(ctx, 2000);
        outcomes.push(String((await adder.getReply({ a: 3, b: 4 })).sum));
        await transport.close();
      },
    });
    assert.deepEqual(outcomes, Array(3).fill(['ConnectionFailed', 'MaybeDelivered', '7']).flat());
  });
});

describe('Peer: queues', () => {
  it('kept reliable messages are resent first on a new connection, then the rest in send order; unreliable ones die with a connection', async () => {
    const seen: string[] = [];
    const depths: number[][] = [];
    await simulate({
      seeds: [1, 2, 3, 4],
      server: async (ctx) => {
        await sleepUntil(ctx, 50);
        // 'U1' makes the server drop the connection it came on.
        await recordingServer(ctx, seen, (s, origin) => s === 'U1' && origin.close());
        await forever();
      },
      client: async (ctx, [ip]) => {
        seen.length = 0;
        depths.length = 0;
        const config = PeerConfig.default({ initialReconnectDelay: 100, monitor: null });
        const { peer, log } = recordedPeer(ctx.providers, `${ip as string}:${PORT}`, config);
        // The first connect is refused (nothing listens before 50 ms): U0 is lost, R0 kept.
        peer.sendUnreliable(DATA_TOKEN, text('U0'));
        peer.sendReliable(DATA_TOKEN, text('R0'));
        await waitUntil(ctx, () => seen.length === 1);
        peer.sendReliable(DATA_TOKEN, text('R1'));
        peer.sendUnreliable(DATA_TOKEN, text('U1'));
        await waitUntil(ctx, () => peer.state === 'backing-off');
        // Queued while disconnected: they wait for the next connection, behind the kept messages.
        peer.sendUnreliable(DATA_TOKEN, text('U2'));
        peer.sendReliable(DATA_TOKEN, text('R2'));
        depths.push([peer.metrics.reliableQueueDepth, peer.metrics.unreliableQueueDepth]);
        await waitUntil(ctx, () => seen.length === 7);
        assert.equal(downTimes(log).length, 1);
        peer.close();
        depths.push([peer.metrics.reliableQueueDepth, peer.metrics.unreliableQueueDepth]);
        assert.equal(log.closed?.kind, 'Closed');
        assert.throws(() => peer.sendReliable(DATA_TOKEN, text('late')), isMessagingError('Closed'));
      },
    });
    assert.deepEqual(seen, ['R0', 'R1', 'U1', 'R0', 'R1', 'U2', 'R2']);
    assert.deepEqual(depths, [[3, 1], [0, 0]]);
  });

  it('QueueFull when a queue holds maxQueueSize messages; room again once a kept message is cancelled', async () => {
    await simulate({
      server: forever,
      client: async (ctx, [ip]) => {
        // Nothing listens: everything stays queued while the peer backs off.
        const config = PeerConfig.default({ maxQueueSize: 3, monitor: null });
        const { peer } = recordedPeer(ctx.providers, `${ip as string}:${PORT}`, config);
        const kept = [0, 1, 2].map((i) => peer.sendReliable(DATA_TOKEN, text(`r${i}`)));
        assert.throws(() => peer.sendReliable(DATA_TOKEN, text('r3')), isMessagingError('QueueFull'));
        for (let i = 0; i < 3; i++) peer.sendUnreliable(DATA_TOKEN, text(`u${i}`));
        assert.throws(() => peer.sendUnreliable(DATA_TOKEN, text('u3')), isMessagingError('QueueFull'));
        assert.equal(peer.metrics.reliableQueueDepth, 3);
        assert.equal(peer.metrics.unreliableQueueDepth, 3);
        kept[0]?.cancel();
        peer.sendReliable(DATA_TOKEN, text('r3'));
        peer.close();

        // Through the RPC layer: a full reliable queue rejects getReply; send throws at once.
        const transport = NetTransport.builder(ctx.providers)
          .peerConfig(PeerConfig.default({ maxQueueSize: 2, monitor: null }))
          .build();
        const adder = adderAt(transport, ip as string);
        const pending = [1, 2].map((a) => adder.getReply({ a, b: a }, { timeoutMs: 100 }));
        await assert.rejects(adder.getReply({ a: 3, b: 3 }), isMessagingError('QueueFull'));
        adder.send({ a: 4, b: 4 });
        adder.send({ a: 5, b: 5 });
        assert.throws(() => adder.send({ a: 6, b: 6 }), isMessagingError('QueueFull'));
        for (const p of pending) await assert.rejects(p, isReplyError('Timeout'));
        // The timed-out requests left the queue.
        assert.equal(transport.peer(adder.endpoint.address)?.metrics.reliableQueueDepth, 0);
        await transport.close();
      },
    });
  });
});
