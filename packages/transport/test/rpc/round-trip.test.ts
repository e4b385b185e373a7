// Requests and replies between two simulated machines: each delivery mode on a quiet network.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Endpoint, NetworkAddress, UID } from '@moonpool/core';
import { jsonCodec, MAX_PAYLOAD_SIZE, NetTransport, PeerConfig, ServiceEndpoint, WireError } from '../../src/index.js';
import { type AddReply, type AddRequest, adderAt, serveAdder } from '../support/adder.js';
import { isReplyError, PORT, simulate } from '../support/simulate.js';

describe('request and reply in simulation', () => {
  it('getReply, tryGetReply and getReplyUnlessFailedFor get their replies; send arrives', async () => {
    const seen: AddRequest[] = [];
    const replies: number[] = [];
    await simulate({
      seeds: [1, 2, 3],
      server: (ctx) => serveAdder(ctx, (r) => seen.push(r)),
      client: async (ctx, [ip]) => {
        const transport = NetTransport.builder(ctx.providers).peerConfig(PeerConfig.localNetwork()).build();
        const adder = adderAt(transport, ip as string);
        replies.push((await adder.getReply({ a: 1, b: 2 })).sum);
        replies.push((await adder.tryGetReply({ a: 3, b: 4 })).sum);
        replies.push((await adder.getReplyUnlessFailedFor({ a: 5, b: 6 }, 1000)).sum);
        adder.send({ a: 7, b: 8 });
        replies.push((await adder.getReply({ a: 9, b: 10 })).sum);
        await transport.close();
      },
    });
    assert.deepEqual(replies, [3, 7, 11, 19, 3, 7, 11, 19, 3, 7, 11, 19]);
    // The message sent without a reply arrived before the request that followed it.
    assert.deepEqual(
      seen.slice(0, 5).map((r) => r.a),
      [1, 3, 5, 7, 9],
    );
  });

  it('a reply too large for a packet: the client gets Serialization, the handler\'s send throws PacketTooLarge', async () => {
    const thrown: unknown[] = [];
    await simulate({
      server: (ctx) =>
        serveAdder(ctx, {
          handle: (request, reply) => {
            try {
              reply.send({ sum: 'x'.repeat(MAX_PAYLOAD_SIZE) as unknown as number });
            } catch (err) {
              thrown.push(err);
            }
          },
        }),
      client: async (ctx, [ip]) => {
        const transport = NetTransport.builder(ctx.providers).peerConfig(PeerConfig.localNetwork()).build();
        await assert.rejects(adderAt(transport, ip as string).getReply({ a: 1, b: 2 }), (err: unknown) => {
          assert.ok(isReplyError('Serialization')(err));
          assert.match((err as Error).message, /could not send its reply.*PacketTooLarge|could not send its reply.*1048576/s);
          return true;
        });
        await transport.close();
      },
    });
    assert.equal(thrown.length, 1);
    assert.ok(thrown[0] instanceof WireError && thrown[0].kind === 'PacketTooLarge');
  });

  it('a token nobody serves: EndpointNotFound, and the endpoint is failed for good', async () => {
    await simulate({
      server: (ctx) => serveAdder(ctx),
      client: async (ctx, [ip]) => {
        const transport = NetTransport.builder(ctx.providers).peerConfig(PeerConfig.localNetwork()).build();
        const nowhere = new ServiceEndpoint<AddRequest, AddReply>(
          transport,
          new Endpoint(new NetworkAddress(ip as string, PORT), new UID(0xdeadn, 9n)),
          jsonCodec,
        );
        await assert.rejects(nowhere.getReply({ a: 1, b: 1 }), isReplyError('EndpointNotFound'));
        assert.equal(transport.failureMonitor.isPermanentlyFailed(nowhere.endpoint), true);
        // Known missing: the next request fails at once, without a round trip.
        await assert.rejects(nowhere.tryGetReply({ a: 1, b: 1 }), isReplyError('EndpointNotFound'));
        await transport.close();
      },
    });
  });
});
