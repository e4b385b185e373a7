// RequestGroup: requests given up together (what fan-outs use instead of an AbortSignal per fan-out).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NetTransport, PeerConfig } from '../../src/index.js';
import { REQUEST_GROUP, RequestGroup } from '../../src/rpc/request-group.js';
import { adderAt, serveAdder } from '../support/adder.js';
import { simulate } from '../support/simulate.js';

describe('RequestGroup', () => {
  it('cancel fails every member still in, once, with its reason; members that left are not touched', () => {
    const group = new RequestGroup();
    const failed: string[] = [];
    const member = (name: string) => ({ fail: (error: unknown) => failed.push(`${name}: ${String(error)}`) });
    group.join(member('a'));
    const b = group.join(member('b'));
    group.join(member('c'));
    group.leave(b);
    assert.equal(group.cancelled, false);
    group.cancel('stop');
    group.cancel('again');
    assert.deepEqual(failed, ['a: stop', 'c: stop']);
    assert.equal(group.cancelled, true);
    assert.equal(group.reason, 'stop');
  });

  it('requests in a group: cancelled together, endpoints removed at once; a cancelled group sends nothing', async () => {
    const seen: number[] = [];
    await simulate({
      // Holds every request but the warm-up.
      server: (ctx) =>
        serveAdder(ctx, {
          onRequest: (r) => seen.push(r.a),
          handle: (r, reply) => (r.a === 0 ? reply.send({ sum: 0 }) : undefined),
        }),
      client: async (ctx, [ip]) => {
        const transport = NetTransport.builder(ctx.providers).peerConfig(PeerConfig.localNetwork()).build();
        const adder = adderAt(transport, ip as string);
        await adder.getReply({ a: 0, b: 0 });
        const group = new RequestGroup();
        const options = { [REQUEST_GROUP]: group };
        const calls = [adder.getReply({ a: 1, b: 0 }, options), adder.tryGetReply({ a: 2, b: 0 }, options)].map((p) =>
          p.catch((e: unknown) => e),
        );
        await ctx.time.sleep(10);
        assert.equal(transport.endpointCount, 2);
        const reason = new Error('not needed');
        group.cancel(reason);
        assert.equal(transport.endpointCount, 0, 'removed while cancel() ran');
        assert.equal(transport.peer(adder.endpoint.address)?.metrics.reliableQueueDepth, 0);
        assert.deepEqual(await Promise.all(calls), [reason, reason]);
        await assert.rejects(adder.getReply({ a: 3, b: 0 }, options), (err: unknown) => err === reason);
        await ctx.time.sleep(10);
        await transport.close();
      },
    });
    assert.deepEqual(seen, [0, 1, 2]);
  });
});
