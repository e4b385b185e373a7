// A server that gives a request up answers BrokenPromise (SPEC §6.5): a handler that abandons or
// disposes its ReplyPromise, or a RequestStream closed with requests queued or handed out. The
// client never hangs; getReply then counts the endpoint as gone (as FoundationDB does).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SimContext } from '@moonpool/sim';
import { jsonCodec, NetTransport, PeerConfig, RequestStream } from '../../src/index.js';
import { ADD_TOKEN, type AddReply, type AddRequest, adderAt, serveAdder } from '../support/adder.js';
import { forever, isReplyError, outcome, PORT, simulate, waitUntil } from '../support/simulate.js';

const SEEDS = [1, 2, 3];
const transportOf = (ctx: SimContext): NetTransport =>
  NetTransport.builder(ctx.providers).peerConfig(PeerConfig.localNetwork()).build();

describe('BrokenPromise', () => {
  it('a handler that abandons or disposes its promise: BrokenPromise; after getReply the endpoint is gone', async () => {
    const seen: number[] = [];
    const rows: string[] = [];
    await simulate({
      seeds: SEEDS,
      server: (ctx) =>
        serveAdder(ctx, {
          onRequest: (r) => seen.push(r.a),
          handle: (r, reply) => {
            if (r.a === 1) reply.abandon('no thanks');
            else if (r.a === 2) reply[Symbol.dispose]();
            else {
              reply.send({ sum: r.a + r.b });
              reply.send({ sum: -1 }); // settled already: ignored
              reply.abandon();
            }
          },
        }),
      client: async (ctx, [ip]) => {
        seen.length = 0;
        const transport = transportOf(ctx);
        const adder = adderAt(transport, ip as string);
        // tryGetReply hears the broken promise and leaves the endpoint alone.
        await assert.rejects(adder.tryGetReply({ a: 1, b: 0 }), (err: unknown) => {
          assert.ok(isReplyError('BrokenPromise')(err));
          assert.match((err as Error).message, /no thanks/);
          return true;
        });
        rows.push(await outcome(adder.tryGetReply({ a: 2, b: 0 })));
        rows.push(String((await adder.getReply({ a: 3, b: 0 })).sum));
        // getReply: the endpoint is then failed for good, and the next request fails at once.
        rows.push(await outcome(adder.getReply({ a: 1, b: 0 })));
        assert.equal(transport.failureMonitor.isPermanentlyFailed(adder.endpoint), true);
        const at = ctx.time.now();
        rows.push(await outcome(adder.getReply({ a: 3, b: 0 })));
        assert.equal(ctx.time.now(), at);
        assert.equal(transport.endpointCount, 0);
        assert.equal(transport.failureMonitor.waiting, 0);
        await transport.close();
      },
    });
    assert.deepEqual(rows, Array(SEEDS.length).fill(['BrokenPromise', '3', 'BrokenPromise', 'EndpointNotFound']).flat());
    assert.deepEqual(seen, [1, 2, 3, 1], 'the last request was never sent');
  });

  it('a RequestStream closed with requests queued and handed out: each gets BrokenPromise; later ones EndpointNotFound', async () => {
    const rows: string[] = [];
    await simulate({
      seeds: SEEDS,
      server: async (ctx) => {
        const transport = transportOf(ctx);
        await transport.listen(`${ctx.myIp}:${PORT}`);
        const stream = new RequestStream<AddRequest, AddReply>(transport, { token: ADD_TOKEN }, jsonCodec);
        const taken = await stream.next(); // handed out, never answered
        assert.notEqual(taken, null);
        await waitUntil(ctx, () => stream.backlog === 2); // two more wait, not taken
        stream.close();
        assert.equal(await stream.next(), null);
        assert.equal(transport.endpointCount, 0);
        await forever();
      },
      client: async (ctx, [ip]) => {
        const transport = transportOf(ctx);
        const adder = adderAt(transport, ip as string);
        const out = [adder.getReply({ a: 1, b: 0 })];
        await ctx.time.sleep(10);
        out.push(adder.getReply({ a: 2, b: 0 }), adder.tryGetReply({ a: 3, b: 0 }));
        rows.push(...(await Promise.all(out.map(outcome))));
        // A client that never heard of it: the token is no longer served.
        const other = transportOf(ctx);
        rows.push(await outcome(adderAt(other, ip as string).tryGetReply({ a: 4, b: 0 })));
        assert.ok(ctx.time.now() < 1000, 'no request waited for its timeout');
        await transport.close();
        await other.close();
      },
    });
    assert.deepEqual(
      rows,
      Array(SEEDS.length).fill(['BrokenPromise', 'BrokenPromise', 'BrokenPromise', 'EndpointNotFound']).flat(),
    );
  });
});
