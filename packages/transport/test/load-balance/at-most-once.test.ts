// AtMostOnce in the simulator. True: a request that may have run (MaybeDelivered, Timeout,
// BrokenPromise) is returned at once and never sent elsewhere, so no request runs twice; one that
// surely did not run (EndpointNotFound) moves on; an alternative known failed is not sent to.
// False: the same failures move on to the next alternative (a request may then run twice).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SimContext } from '@moonpool/sim';
import {
  Alternatives,
  AtMostOnce,
  Distance,
  jsonCodec,
  LoadBalanceError,
  loadBalance,
  NetTransport,
  QueueModel,
  RequestStream,
} from '../../src/index.js';
import { ADD_TOKEN, type AddReply, type AddRequest } from '../support/adder.js';
import { answer, clientTransport, replica, type Seen, stableAdder, whoSaw } from '../support/replicas.js';
import { forever, isReplyError, PORT, simulate, sleepUntil } from '../support/simulate.js';

/** Kept unanswered from this `a` on (the server works on it until it crashes, say). */
const KEEP = 1000;
/** Given up (BrokenPromise) from this `a` on: the handler acted, then threw. */
const BREAK = 2000;

const keepOrBreak = (ctx: SimContext, r: AddRequest, reply: Parameters<typeof answer>[2]): void => {
  if (r.a >= BREAK) reply.abandon();
  else if (r.a < KEEP) answer(ctx, r, reply);
};

/** Two replicas, the first closer; the client's alternatives and model. */
function setUp(ctx: SimContext, ips: readonly string[]) {
  const [near, far] = ips as [string, string];
  const transport = clientTransport(ctx);
  const alternatives = Alternatives.of([
    { target: stableAdder(transport, far), distance: Distance.Remote },
    { target: stableAdder(transport, near), distance: Distance.SameDc },
  ]);
  return { near, far, transport, alternatives, model: new QueueModel(ctx.time) };
}

describe('AtMostOnce.True', () => {
  it('returns MaybeDelivered at once when the server crashes with the request out: never sent elsewhere', async () => {
    const log: Seen[] = [];
    await simulate({
      servers: 2,
      seeds: [1, 2, 3],
      server: replica(log, keepOrBreak),
      client: async (ctx, ips) => {
        log.length = 0;
        const { near, transport, alternatives, model } = setUp(ctx, ips);
        assert.equal((await loadBalance(transport, alternatives, { a: 1, b: 0 }, AtMostOnce.True, model)).sum, 1);
        const out = loadBalance(transport, alternatives, { a: KEEP, b: 0 }, AtMostOnce.True, model);
        const rejected = assert.rejects(out, isReplyError('MaybeDelivered'));
        await ctx.time.sleep(50);
        const crashAt = ctx.time.now();
        ctx.cluster.reboot(near, 'Crash', { recoveryDelayMs: 1000 });
        await rejected;
        assert.ok(ctx.time.now() - crashAt < 1, 'at once, without a backoff or another attempt');
        assert.deepEqual(whoSaw(log, KEEP), [near], 'run at most once: by the server that crashed');
        await ctx.time.sleep(3000); // nothing was left to send it again
        assert.deepEqual(whoSaw(log, KEEP), [near]);
        await transport.close();
      },
    });
  });

  it('returns BrokenPromise and Timeout at once (the request may have run); moves on after EndpointNotFound', async () => {
    const log: Seen[] = [];
    await simulate({
      servers: 2,
      seeds: [1, 2],
      server: async (ctx) => {
        // The closer server listens but serves nothing for its first 2 s: "endpoint not found".
        if (ctx.myIp === ctx.topology.processIps[0]) {
          const transport = NetTransport.builder(ctx.providers).build();
          await transport.listen(`${ctx.myIp}:${PORT}`);
          await ctx.time.sleep(2000);
          const stream = new RequestStream<AddRequest, AddReply>(transport, { token: ADD_TOKEN }, jsonCodec);
          for await (const [r, reply] of stream) {
            log.push({ ip: ctx.myIp, a: r.a, at: ctx.time.now() });
            keepOrBreak(ctx, r, reply);
          }
          return forever();
        }
        return replica(log, keepOrBreak)(ctx);
      },
      client: async (ctx, ips) => {
        log.length = 0;
        const { near, far, transport, alternatives, model } = setUp(ctx, ips);
        // Not served at the closer one: surely not run there, so the farther one runs it.
        assert.equal((await loadBalance(transport, alternatives, { a: 1, b: 0 }, AtMostOnce.True, model)).sum, 1);
        assert.deepEqual(whoSaw(log, 1), [far]);
        await sleepUntil(ctx, 2500);
        assert.equal((await loadBalance(transport, alternatives, { a: 2, b: 0 }, AtMostOnce.True, model)).sum, 2);
        assert.deepEqual(whoSaw(log, 2), [near]);
        // The handler broke its promise: it may have acted. Not sent again.
        await assert.rejects(
          loadBalance(transport, alternatives, { a: BREAK, b: 0 }, AtMostOnce.True, model),
          isReplyError('BrokenPromise'),
        );
        const options = { timeoutMs: 200 };
        await assert.rejects(
          loadBalance(transport, alternatives, { a: KEEP, b: 0 }, AtMostOnce.True, model, undefined, options),
          isReplyError('Timeout'),
        );
        await ctx.time.sleep(1000);
        assert.deepEqual([whoSaw(log, BREAK), whoSaw(log, KEEP)], [[near], [near]]);
        await transport.close();
      },
    });
  });

  it('does not send to an alternative known failed: a farther available one, else AllAlternativesFailed', async () => {
    const log: Seen[] = [];
    await simulate({
      servers: 2,
      server: replica(log),
      client: async (ctx, ips) => {
        log.length = 0;
        const { near, far, transport, alternatives, model } = setUp(ctx, ips);
        // The closer one crashes and its address is found failed (a reconnect refused).
        ctx.cluster.reboot(near, 'Crash', { recoveryDelayMs: 60_000 });
        await assert.rejects(stableAdder(transport, near).getReply({ a: 0, b: 0 }, { timeoutMs: 500 }));
        assert.ok(transport.failureMonitor.isAddressKnownFailed(alternatives.endpoint(0).address));
        const started = ctx.time.now();
        assert.equal((await loadBalance(transport, alternatives, { a: 1, b: 0 }, AtMostOnce.True, model)).sum, 1);
        assert.deepEqual(whoSaw(log, 1), [far]);
        assert.ok(ctx.time.now() - started < 1, 'the failed one was not tried first');

        // Both known failed: nothing is sent, in either of the 2 cycles (50 ms apart).
        ctx.cluster.reboot(far, 'Crash', { recoveryDelayMs: 60_000 });
        await assert.rejects(stableAdder(transport, far).getReply({ a: 0, b: 0 }, { timeoutMs: 500 }));
        const before = ctx.time.now();
        await assert.rejects(
          loadBalance(transport, alternatives, { a: 2, b: 0 }, AtMostOnce.True, model),
          (err: unknown) => {
            assert.ok(err instanceof LoadBalanceError);
            assert.equal(err.kind, 'AllAlternativesFailed');
            assert.match(err.message, /every alternative was known failed in each of 2 cycles; nothing was sent/);
            return true;
          },
        );
        assert.equal(Math.round(ctx.time.now() - before), 50);
        assert.deepEqual(whoSaw(log, 2), []);
        assert.equal(model.outstanding(alternatives.endpoint(0)) + model.outstanding(alternatives.endpoint(1)), 0);
        await transport.close();
      },
    });
  });
});

describe('AtMostOnce.False', () => {
  it('moves on after MaybeDelivered, Timeout and BrokenPromise: the request may run on both', async () => {
    const log: Seen[] = [];
    await simulate({
      servers: 2,
      seeds: [1, 2, 3],
      // Only the closer server keeps and breaks requests; the farther one answers everything.
      server: replica(log, (ctx, r, reply) =>
        ctx.myIp === ctx.topology.processIps[0] ? keepOrBreak(ctx, r, reply) : answer(ctx, r, reply),
      ),
      client: async (ctx, ips) => {
        log.length = 0;
        const { near, far, transport, alternatives, model } = setUp(ctx, ips);
        const call = async (a: number, options = {}): Promise<[number, number]> => {
          const started = ctx.time.now();
          const { sum } = await loadBalance(transport, alternatives, { a, b: 0 }, false, model, undefined, options);
          return [sum, Math.round(ctx.time.now() - started)];
        };
        assert.deepEqual(await call(1), [1, 0]);
        // The handler broke its promise: tried again on the farther one at once.
        assert.deepEqual(await call(BREAK), [BREAK, 0]);
        // No answer within the attempt's timeout: tried again.
        assert.deepEqual(await call(KEEP, { timeoutMs: 300 }), [KEEP, 300]);
        // The closer one crashes 20 ms after the request reached it: reconnected after 50 ms,
        // refused, failed for 100 ms: MaybeDelivered, tried again.
        const crashing = call(KEEP + 1, { unlessFailedForMs: 100 });
        await ctx.time.sleep(20);
        ctx.cluster.reboot(near, 'Crash', { recoveryDelayMs: 60_000 });
        assert.deepEqual(await crashing, [KEEP + 1, 170]);
        assert.deepEqual(
          [1, BREAK, KEEP, KEEP + 1].map((a) => whoSaw(log, a)),
          [[near], [near, far], [near, far], [near, far]],
        );
        await transport.close();
      },
    });
  });
});
