// NetTransport (SPEC §6.4): dispatch by token, "endpoint not found" for a dynamic token (a
// permanent failure on the sender's side; well-known tokens exempt), incoming peers that end with
// their connection, and close(). Simulated, quiet network.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Endpoint, NetworkAddress, UID, wellKnownUid } from '@moonpool/core';
import { type MessageReceiver, NetTransport, PeerConfig } from '../../src/index.js';
import { adderAt, serveAdder } from '../support/adder.js';
import { text, untext } from '../support/peers.js';
import { forever, isMessagingError, outcome, PORT, simulate, waitUntil } from '../support/simulate.js';

const TOKEN_A = new UID(0xan, 1n);
const TOKEN_B = new UID(0xbn, 2n);
const MISSING = new UID(0xdeadn, 3n);
const WELL_KNOWN = 10;

describe('NetTransport', () => {
  it('dispatches each packet to the receiver of its token; a dynamic token nobody has fails for good at the sender', async () => {
    const got: string[] = [];
    await simulate({
      seeds: [1, 2],
      server: async (ctx) => {
        const transport = NetTransport.builder(ctx.providers).build();
        await transport.listen(`${ctx.myIp}:${PORT}`);
        const receiver = (name: string): MessageReceiver => ({ receive: (p) => got.push(`${name}:${untext(p)}`) });
        transport.register(TOKEN_A, receiver('A'));
        transport.register(TOKEN_B, receiver('B'));
        transport.registerWellKnown(WELL_KNOWN, receiver('W'));
        await forever();
      },
      client: async (ctx, [ip]) => {
        got.length = 0;
        const transport = NetTransport.builder(ctx.providers).build();
        const at = (token: UID) => new Endpoint(new NetworkAddress(ip as string, PORT), token);
        transport.sendUnreliable(at(TOKEN_A), text('1'));
        transport.sendReliable(at(TOKEN_B), text('2')).cancel(); // cancelled before written: never sent
        transport.sendReliable(at(TOKEN_B), text('3'));
        transport.sendUnreliable(at(wellKnownUid(WELL_KNOWN)), text('4'));
        transport.sendUnreliable(at(MISSING), text('5'));
        transport.sendUnreliable(at(wellKnownUid(WELL_KNOWN + 1)), text('6')); // well-known, not registered
        transport.sendUnreliable(at(TOKEN_A), text('7'));
        const monitor = transport.failureMonitor;
        await monitor.onEndpointNotFound(at(MISSING));
        assert.equal(monitor.isPermanentlyFailed(at(MISSING)), true);
        assert.equal(monitor.state(at(MISSING)), 'failed');
        // Only that endpoint: its address and the other tokens there are fine.
        assert.equal(monitor.state(at(TOKEN_A)), 'available');
        await waitUntil(ctx, () => got.length === 4);
        await ctx.time.sleep(100);
        // No "not found" for a well-known token: nothing marks it failed.
        assert.equal(monitor.isPermanentlyFailed(at(wellKnownUid(WELL_KNOWN + 1))), false);
        await transport.close();
      },
    });
    assert.deepEqual(got, ['A:1', 'B:3', 'W:4', 'A:7']);
  });

  it('an incoming peer is removed, and forgotten by the failure monitor, when its connection ends', async () => {
    const counts: number[] = [];
    let server: NetTransport | null = null;
    await simulate({
      server: (ctx) => serveAdder(ctx, { onListening: (transport) => (server = transport) }),
      client: async (ctx, [ip]) => {
        const s = (): NetTransport => server as unknown as NetTransport;
        await waitUntil(ctx, () => server !== null);
        counts.push(s().peerCount);
        for (let i = 0; i < 3; i++) {
          const transport = NetTransport.builder(ctx.providers).build();
          assert.equal((await adderAt(transport, ip as string).getReply({ a: i, b: 1 })).sum, i + 1);
          counts.push(s().peerCount);
          await transport.close();
          await waitUntil(ctx, () => s().peerCount === 0);
          counts.push(s().peerCount);
        }
        // Each client connected from an ephemeral port of its own; none is remembered.
        for (let port = 49152; port < 49152 + 3; port++) {
          const address = `${ctx.myIp}:${port}`;
          assert.equal(s().peer(address), undefined);
          assert.equal(s().failureMonitor.failedFor(address), null, `the server still tracks ${address}`);
        }
      },
    });
    assert.deepEqual(counts, [0, 1, 0, 1, 0, 1, 0]);
  });

  it('close(): sends throw Closed, requests out settle at once, and the workload ends', async () => {
    const outcomes: string[] = [];
    const report = await simulate({
      seeds: [1, 2],
      // Holds every request unanswered.
      server: (ctx) => serveAdder(ctx, { handle: () => undefined }),
      client: async (ctx, [ip]) => {
        outcomes.length = 0;
        const transport = NetTransport.builder(ctx.providers).peerConfig(PeerConfig.localNetwork()).build();
        const adder = adderAt(transport, ip as string);
        const out = [
          adder.getReply({ a: 1, b: 1 }),
          adder.tryGetReply({ a: 2, b: 2 }),
          adder.getReplyUnlessFailedFor({ a: 3, b: 3 }, 5000),
        ].map(outcome);
        await ctx.time.sleep(100);
        const closedAt = ctx.time.now();
        await transport.close();
        outcomes.push(...(await Promise.all(out)));
        assert.equal(ctx.time.now() - closedAt < 1, true, 'settled when the transport closed');
        const endpoint = adder.endpoint;
        assert.throws(() => transport.sendUnreliable(endpoint, text('x')), isMessagingError('Closed'));
        assert.throws(() => transport.sendReliable(endpoint, text('x')), isMessagingError('Closed'));
        assert.throws(() => adder.send({ a: 4, b: 4 }), isMessagingError('Closed'));
        await assert.rejects(adder.getReply({ a: 5, b: 5 }), isMessagingError('Closed'));
        await assert.rejects(transport.listen(`${ctx.myIp}:1`), isMessagingError('Closed'));
        assert.equal(transport.endpointCount, 0);
        await transport.close(); // twice is fine
      },
    });
    assert.deepEqual(outcomes, ['ConnectionFailed', 'MaybeDelivered', 'ConnectionFailed']);
    // Nothing was left to keep the simulation going (the RPC timeouts are 30 s).
    for (const run of report.runs) assert.ok(run.simTimeMs < 1000, `ran ${run.simTimeMs} ms`);
  });

  it('close() while a peer is still connecting: the connection made afterwards is dropped, nothing keeps running', async () => {
    const states: string[] = [];
    let server: NetTransport | null = null;
    const report = await simulate({
      seeds: [1, 2],
      server: (ctx) => serveAdder(ctx, { onListening: (transport) => (server = transport) }),
      client: async (ctx, [ip]) => {
        const transport = NetTransport.builder(ctx.providers).peerConfig(PeerConfig.localNetwork()).build();
        const adder = adderAt(transport, ip as string);
        const out = outcome(adder.getReply({ a: 1, b: 1 }));
        const peer = transport.peer(adder.endpoint.address);
        await ctx.task.yieldNow(); // the peer has started connecting
        await transport.close();
        states.push(await out);
        await ctx.time.sleep(100); // the connect completes meanwhile
        states.push(String(peer?.state));
        states.push(String((server as NetTransport | null)?.peerCount));
        states.push(transport.failureMonitor.state(adder.endpoint));
      },
    });
    assert.deepEqual(states, Array(2).fill(['ConnectionFailed', 'closed', '0', 'failed']).flat());
    for (const run of report.runs) assert.ok(run.simTimeMs < 1000, `ran ${run.simTimeMs} ms`);
  });

  it('close() while listen() is binding: listen rejects Closed and the address is free again', async () => {
    await simulate({
      server: forever,
      client: async (ctx) => {
        const transport = NetTransport.builder(ctx.providers).build();
        const listening = transport.listen(`${ctx.myIp}:${PORT}`);
        await transport.close();
        await assert.rejects(listening, isMessagingError('Closed'));
        const again = NetTransport.builder(ctx.providers).build();
        await again.listen(`${ctx.myIp}:${PORT}`);
        await again.close();
      },
    });
  });

  it('a second listen() is refused, also while the first is still binding', async () => {
    await simulate({
      server: forever,
      client: async (ctx) => {
        const transport = NetTransport.builder(ctx.providers).build();
        const first = transport.listen(`${ctx.myIp}:${PORT}`);
        await assert.rejects(transport.listen(`${ctx.myIp}:${PORT + 1}`), /already listens \(on an address being bound\)/);
        const address = await first;
        await assert.rejects(transport.listen(`${ctx.myIp}:${PORT + 1}`), new RegExp(`already listens \\(on ${address.toString()}\\)`));
        await transport.close();
      },
    });
  });

  it('a late reply is dropped by the client without an answer, and the server keeps nothing for it', async () => {
    let server: NetTransport | null = null;
    let replyTo: UID | null = null;
    await simulate({
      // Answers 200 ms late.
      server: (ctx) =>
        serveAdder(ctx, {
          onListening: (transport) => (server = transport),
          handle: (r, reply) => {
            replyTo = reply.replyTo;
            void ctx.time.sleep(200).then(() => reply.send({ sum: r.a + r.b }));
          },
        }),
      client: async (ctx, [ip]) => {
        const transport = NetTransport.builder(ctx.providers).build();
        const adder = adderAt(transport, ip as string);
        assert.equal(await outcome(adder.getReply({ a: 1, b: 1 }, { timeoutMs: 100 })), 'Timeout');
        await ctx.time.sleep(300);
        // A packet that comes in on a connection the client opened can only be a reply: a "not found"
        // would reach the server on an incoming connection, which ignores it, so none is sent.
        const s = server as NetTransport | null;
        assert.ok(replyTo !== null);
        const replyEndpoint = new Endpoint(new NetworkAddress(ctx.myIp, 49152), replyTo);
        assert.equal(s?.peer(`${ctx.myIp}:49152`)?.metrics.packetsReceived, 1, 'the request only');
        assert.equal(s?.failureMonitor.isPermanentlyFailed(replyEndpoint), false);
        await transport.close();
      },
    });
  });
});
