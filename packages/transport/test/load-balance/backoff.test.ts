// Cycles and backoff on simulated time: after a cycle without success loadBalance sleeps 50 ms,
// doubling up to the cap, at most maxFullCycles cycles, then rejects with the last error. And the
// calls it refuses before sending anything.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NodeProviders } from '@moonpool/core';
import {
  Alternatives,
  AtMostOnce,
  defineService,
  Distance,
  LoadBalanceConfig,
  LoadBalanceError,
  loadBalance,
  method,
  NetTransport,
  PeerConfig,
  QueueModel,
  ReplyError,
  serve,
  serviceClient,
} from '../../src/index.js';
import { clientTransport, replica, type Seen, stableAdder } from '../support/replicas.js';
import { gaps, PORT, simulate } from '../support/simulate.js';

describe('loadBalance: cycles and backoff', () => {
  it('sleeps 50, 100, 200... ms (capped) between cycles, and rejects with the last error after maxFullCycles', async () => {
    const log: Seen[] = [];
    await simulate({
      servers: 2,
      seeds: [1, 2],
      // Every request is given up, with the attempt's number in the reason.
      server: replica(log, (ctx, r, reply) => reply.abandon(`attempt ${log.filter((s) => s.a === r.a).length} of ${r.a}`)),
      client: async (ctx, ips) => {
        log.length = 0;
        const transport = clientTransport(ctx);
        const [near, far] = ips as [string, string];
        const alternatives = Alternatives.of([
          { target: stableAdder(transport, near), distance: Distance.SameMachine },
          { target: stableAdder(transport, far), distance: Distance.SameDc },
        ]);
        const model = new QueueModel(ctx.time);
        const attempts = (a: number) => log.filter((s) => s.a === a);

        // The defaults: 2 cycles, one sleep of 50 ms between them.
        let started = ctx.time.now();
        await assert.rejects(loadBalance(transport, alternatives, { a: 1, b: 0 }, AtMostOnce.False, model), (err) => {
          assert.ok(err instanceof ReplyError && err.kind === 'BrokenPromise');
          assert.match(err.message, /attempt 4 of 1$/, 'the last error, not the first');
          return true;
        });
        assert.equal(Math.round(ctx.time.now() - started), 50);
        assert.deepEqual(attempts(1).map((s) => s.ip), [near, far, near, far]);
        assert.deepEqual(gaps(attempts(1).map((s) => s.at)), [0, 50, 0]);

        // 5 cycles from 50 ms, doubling, at most 300 ms: 50, 100, 200, 300 between them.
        const config = LoadBalanceConfig.default({ maxFullCycles: 5, maxBackoffMs: 300 });
        started = ctx.time.now();
        await assert.rejects(
          loadBalance(transport, alternatives, { a: 2, b: 0 }, AtMostOnce.False, model, config),
          /BrokenPromise: attempt 10 of 2$/,
        );
        assert.equal(Math.round(ctx.time.now() - started), 650);
        assert.deepEqual(gaps(attempts(2).map((s) => s.at)), [0, 50, 0, 100, 0, 200, 0, 300, 0]);

        // Another multiplier, and a single cycle: no sleep at all.
        const triple = LoadBalanceConfig.default({ maxFullCycles: 3, initialBackoffMs: 10, backoffMultiplier: 3 });
        await assert.rejects(loadBalance(transport, alternatives, { a: 3, b: 0 }, false, model, triple));
        assert.deepEqual(gaps(attempts(3).map((s) => s.at)), [0, 10, 0, 30, 0]);
        started = ctx.time.now();
        const once = LoadBalanceConfig.default({ maxFullCycles: 1 });
        await assert.rejects(loadBalance(transport, alternatives, { a: 4, b: 0 }, false, model, once), /attempt 2 of 4$/);
        assert.equal(Math.round(ctx.time.now() - started), 0);
        await transport.close();
      },
    });
  });
});

describe('loadBalance: typed method clients', () => {
  it('balances calls of a typed client method; the response is validated and typed', async () => {
    const Adder = defineService({
      id: 0xadd5n,
      methods: { add: method<{ a: number; b: number }, { sum: number }>() },
    });
    const servedBy: string[] = [];
    await simulate({
      servers: 2,
      server: async (ctx) => {
        const transport = NetTransport.builder(ctx.providers).peerConfig(PeerConfig.localNetwork()).build();
        await transport.listen(`${ctx.myIp}:${PORT}`);
        serve(transport, Adder, {
          add: ({ a, b }) => {
            servedBy.push(ctx.myIp);
            return { sum: a + b };
          },
        });
        await new Promise<never>(() => undefined);
      },
      client: async (ctx, ips) => {
        const transport = clientTransport(ctx);
        const alternatives = Alternatives.of(
          ips.map((ip, i) => ({
            target: serviceClient(transport, Adder, `${ip}:${PORT}`).add,
            distance: i === 0 ? Distance.Remote : Distance.SameDc,
          })),
        );
        const reply: { sum: number } = await loadBalance(transport, alternatives, { a: 2, b: 3 }, false, null);
        assert.equal(reply.sum, 5);
        // @ts-expect-error the request's type comes from the method
        void loadBalance(transport, alternatives, { a: 'two' }, false, null).catch(() => undefined);
        assert.deepEqual(servedBy, [ips[1]]);
        await transport.close();
      },
    });
  });
});

describe('loadBalance: refused calls', () => {
  it('rejects, sending nothing: no alternatives, a bad config, a wrong transport, mixed delivery options', async () => {
    const transport = NetTransport.builder(new NodeProviders()).build();
    const other = NetTransport.builder(new NodeProviders()).build();
    try {
      const alternatives = Alternatives.of([
        { target: stableAdder(transport, '10.0.0.9'), distance: Distance.SameDc },
      ]);
      const model = new QueueModel(transport.providers.time);
      const request = { a: 1, b: 2 };
      await assert.rejects(loadBalance(transport, Alternatives.of([]), request, false, model), (err) => {
        assert.ok(err instanceof LoadBalanceError);
        assert.equal(err.kind, 'NoAlternatives');
        assert.equal(err.message, 'NoAlternatives: loadBalance was given no alternatives');
        return true;
      });
      const bad = { initialBackoffMs: 50, backoffMultiplier: 2, maxBackoffMs: 1000, maxFullCycles: 0 };
      await assert.rejects(
        loadBalance(transport, alternatives, request, false, model, bad),
        /RangeError: LoadBalanceConfig\.maxFullCycles must be an integer >= 1, got 0/,
      );
      await assert.rejects(
        loadBalance(transport, alternatives, request, false, model, { ...bad, maxFullCycles: 2, maxBackoffMs: 10 }),
        /maxBackoffMs \(10 ms\) must be >= initialBackoffMs \(50 ms\)/,
      );
      await assert.rejects(
        loadBalance(other, alternatives, request, false, model),
        /TypeError: loadBalance's transport is not the one its alternatives send through/,
      );
      await assert.rejects(
        loadBalance(transport, alternatives, request, AtMostOnce.True, model, undefined, { unlessFailedForMs: 100 }),
        /TypeError: unlessFailedForMs is for AtMostOnce.False/,
      );
      await assert.rejects(
        loadBalance(transport, alternatives, request, false, model, undefined, { unlessFailedForMs: -1 }),
        /RangeError: unlessFailedForMs must be a number of ms >= 0, got -1/,
      );
      await assert.rejects(
        loadBalance(transport, alternatives, request, 'yes' as never, model),
        /atMostOnce must be AtMostOnce.True or AtMostOnce.False, got yes/,
      );
      await assert.rejects(loadBalance(transport, alternatives, request, false, {} as never), /model must be a QueueModel or null/);
      await assert.rejects(
        loadBalance(transport, [alternatives.target(0)] as never, request, false, model),
        /loadBalance takes an Alternatives/,
      );
      await assert.rejects(
        loadBalance(transport, alternatives, request, false, model, undefined, { signal: AbortSignal.abort(new Error('no')) }),
        /^Error: no$/,
      );
      // Nothing was sent: no peer was made.
      assert.equal(transport.peerCount, 0);
      assert.equal(model.size, 0);
    } finally {
      await transport.close();
      await other.close();
    }
  });
});
