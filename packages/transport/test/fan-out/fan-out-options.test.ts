// What every fan-out shares: the delivery mode its options choose, one signal for its calls that is
// aborted when it finishes with calls out, the caller's abort, invalid options, raw ServiceEndpoints
// as targets. Stand-in targets show what is called; the simulator shows what happens on the wire.
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { describe, it } from 'node:test';
import { Endpoint } from '@moonpool/core';
import {
  FanOutError,
  type FanOutTarget,
  fanOutAll,
  fanOutAllPartial,
  fanOutQuorum,
  fanOutRace,
  type RequestOptions,
  ReplyError,
  ServiceEndpoint,
} from '../../src/index.js';
import {
  type Answer,
  assertClean,
  type Call,
  fanOutTest,
  msSince,
  Replica,
  type ReplicaClient,
} from '../support/fan-out-replicas.js';

/** One call a stand-in target received, and how to settle it. */
interface Received {
  readonly mode: string;
  readonly options: RequestOptions | undefined;
  readonly failedForMs?: number;
  resolve(value: number): void;
  reject(error: unknown): void;
}

/** A target that records its calls and lets the test settle them. */
function standIn(received: Received[]): FanOutTarget<string, number> {
  const record = (mode: string, options: RequestOptions | undefined, failedForMs?: number): Promise<number> =>
    new Promise<number>((resolve, reject) => {
      received.push({ mode, options, failedForMs, resolve, reject });
      options?.signal?.addEventListener('abort', () => reject(options.signal?.reason), { once: true });
    });
  return {
    getReply: (_request, options) => record('getReply', options),
    tryGetReply: (_request, options) => record('tryGetReply', options),
    getReplyUnlessFailedFor: (_request, ms, options) => record('getReplyUnlessFailedFor', options, ms),
  };
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('fan-out options (stand-in targets)', () => {
  it('getReply by default; tryGetReply with atMostOnce; getReplyUnlessFailedFor with unlessFailedForMs', async () => {
    for (const [options, mode] of [
      [{}, 'getReply'],
      [{ atMostOnce: false }, 'getReply'],
      [{ atMostOnce: true }, 'tryGetReply'],
      [{ unlessFailedForMs: 250 }, 'getReplyUnlessFailedFor'],
    ] as const) {
      const received: Received[] = [];
      const targets = [standIn(received), standIn(received)];
      const all = fanOutAll(targets, 'x', { ...options, timeoutMs: 1234 });
      assert.deepEqual(
        received.map((r) => r.mode),
        [mode, mode],
      );
      assert.ok(received.every((r) => r.options?.timeoutMs === 1234));
      if (mode === 'getReplyUnlessFailedFor') assert.ok(received.every((r) => r.failedForMs === 250));
      received.forEach((r, i) => r.resolve(i));
      assert.deepEqual(await all, [0, 1]);
    }
  });

  it('one signal for all the calls, aborted when the fan-out ends with calls out, not when none is', async () => {
    const received: Received[] = [];
    const caller = new AbortController();
    const race = fanOutRace([standIn(received), standIn(received), standIn(received)], 'x', { signal: caller.signal });
    const signal = received[0]?.options?.signal;
    assert.ok(signal !== undefined && signal !== caller.signal, 'a signal of the fan-out, not the caller');
    assert.ok(received.every((r) => r.options?.signal === signal));
    received[1]?.resolve(11);
    assert.equal(await race, 11);
    assert.equal(signal.aborted, true, 'the two calls out were given up');
    assert.equal(caller.signal.aborted, false, 'the caller signal is left alone');

    received.length = 0;
    const all = fanOutAll([standIn(received), standIn(received)], 'x');
    received.forEach((r, i) => r.resolve(i));
    assert.deepEqual(await all, [0, 1]);
    assert.equal(received[0]?.options?.signal?.aborted, false, 'nothing was out: nothing aborted');
  });

  it("the caller's abort reaches a target of the user's own through the fan-out's signal, in every mode", async () => {
    for (const start of [
      (targets: FanOutTarget<string, number>[], signal: AbortSignal) => fanOutAll(targets, 'x', { signal }),
      (targets: FanOutTarget<string, number>[], signal: AbortSignal) => fanOutQuorum(targets, 'x', 1, { signal }),
      (targets: FanOutTarget<string, number>[], signal: AbortSignal) => fanOutRace(targets, 'x', { signal }),
      (targets: FanOutTarget<string, number>[], signal: AbortSignal) => fanOutAllPartial(targets, 'x', { signal }),
    ]) {
      const received: Received[] = [];
      const caller = new AbortController();
      const fanOut = start([standIn(received), standIn(received)], caller.signal);
      assert.equal(getEventListeners(caller.signal, 'abort').length, 1, 'one listener for the fan-out, none per call');
      const reason = new Error('stop');
      caller.abort(reason);
      await assert.rejects(fanOut, (err: unknown) => err === reason);
      assert.ok(received.every((r) => r.options?.signal?.aborted === true));
    }
  });

  it('a target that throws instead of rejecting: that call failed', async () => {
    const received: Received[] = [];
    const thrower: FanOutTarget<string, number> = {
      ...standIn(received),
      getReply: () => {
        throw new Error('thrown');
      },
    };
    const results = await fanOutAllPartial([thrower], 'x');
    assert.equal(results[0]?.status, 'rejected');
    await assert.rejects(fanOutAll([standIn(received), thrower], 'x'), (err: unknown) => {
      assert.ok(err instanceof FanOutError && err.kind === 'CallFailed' && err.errors[0]?.index === 1);
      return true;
    });
    assert.equal(received[0]?.options?.signal?.aborted, true);
  });

  it('invalid options reject the fan-out itself, before any call', async () => {
    const received: Received[] = [];
    const targets = [standIn(received)];
    const cases: [Parameters<typeof fanOutAll>[2], RegExp, ErrorConstructor][] = [
      [{ atMostOnce: true, unlessFailedForMs: 10 }, /two different delivery modes/, TypeError],
      [{ unlessFailedForMs: -1 }, /unlessFailedForMs must be a number of ms >= 0, got -1/, RangeError],
      [{ unlessFailedForMs: Number.POSITIVE_INFINITY }, /got Infinity/, RangeError],
      [{ timeoutMs: 0 }, /timeoutMs must be > 0, got 0/, RangeError],
    ];
    for (const [options, message, type] of cases) {
      for (const fanOut of [
        () => fanOutAll(targets, 'x', options),
        () => fanOutQuorum(targets, 'x', 1, options),
        () => fanOutRace(targets, 'x', options),
        () => fanOutAllPartial(targets, 'x', options),
      ]) {
        await assert.rejects(fanOut(), (err: unknown) => err instanceof type && message.test((err as Error).message));
      }
    }
    assert.equal(received.length, 0);
  });

  it('an already aborted signal rejects at once with its reason, whatever the input', async () => {
    const received: Received[] = [];
    const reason = new Error('gave up before');
    const signal = AbortSignal.abort(reason);
    const targets = [standIn(received)];
    for (const fanOut of [
      fanOutAll(targets, 'x', { signal }),
      fanOutAll([], 'x', { signal }),
      fanOutQuorum(targets, 'x', 1, { signal }),
      fanOutQuorum(targets, 'x', 0, { signal }),
      fanOutRace(targets, 'x', { signal }),
      fanOutAllPartial(targets, 'x', { signal }),
    ]) {
      await assert.rejects(fanOut, (err: unknown) => err === reason);
    }
    assert.equal(received.length, 0);
    await turn();
  });
});

describe('fan-out types', () => {
  it('the request must be the targets; the replies have their type', () => {
    // Compiled, never run: the checks are the compiler's.
    const check = (targets: readonly ReplicaClient[]): unknown[] => {
      // @ts-expect-error the request of another method
      void fanOutAll(targets, { key: 'k' });
      const all: Promise<Answer[]> = fanOutAll(targets, { op: 1 });
      const quorum: Promise<Answer[]> = fanOutQuorum(targets, { op: 1 }, 1);
      const first: Promise<Answer> = fanOutRace(targets, { op: 1 });
      const each: Promise<PromiseSettledResult<Answer>[]> = fanOutAllPartial(targets, { op: 1 });
      return [all, quorum, first, each];
    };
    assert.equal(typeof check, 'function');
  });
});

describe('fan-out in the simulator: caller abort, delivery modes, raw endpoints', () => {
  it('the caller aborting rejects every kind of fan-out with its reason and gives up every call at once', async () => {
    await fanOutTest({
      replicas: 3,
      script: () => ({ act: 'hold' }),
      client: async (ctx, targets, transport) => {
        for (const start of [
          (signal: AbortSignal) => fanOutAll(targets, { op: 1 }, { signal }),
          (signal: AbortSignal) => fanOutQuorum(targets, { op: 2 }, 2, { signal }),
          (signal: AbortSignal) => fanOutRace(targets, { op: 3 }, { signal }),
          (signal: AbortSignal) => fanOutAllPartial(targets, { op: 4 }, { signal }),
        ]) {
          const controller = new AbortController();
          const reason = new Error('the caller gave up');
          const at = ctx.time.now();
          const fanOut = start(controller.signal).catch((e: unknown) => e);
          await ctx.time.sleep(20);
          assert.equal(transport.endpointCount, 3, 'three calls out');
          // Method clients' calls are given up through the fan-out's request group, not the signal.
          assert.equal(getEventListeners(controller.signal, 'abort').length, 1);
          controller.abort(reason);
          assert.equal(transport.endpointCount, 0, 'given up while abort() ran');
          assert.equal(await fanOut, reason);
          assert.equal(msSince(ctx, at), 20);
          assertClean(transport, targets);
        }
      },
    });
  });

  it('unlessFailedForMs: a replica down for good fails its call with MaybeDelivered, not a timeout', async () => {
    await fanOutTest({
      replicas: 3,
      script: (replica) => (replica === 0 ? { act: 'hold' } : { act: 'reply' }),
      client: async (ctx, targets, transport) => {
        const at = ctx.time.now();
        const all = fanOutAll(targets, { op: 1 }, { unlessFailedForMs: 500 }).catch((e: unknown) => e);
        await ctx.time.sleep(10);
        ctx.cluster.reboot(ctx.topology.processIps[0] as string, 'Crash', { recoveryDelayMs: 20_000 });
        const err = await all;
        assert.ok(err instanceof FanOutError && err.kind === 'CallFailed');
        assert.equal(err.errors[0]?.index, 0);
        assert.ok(err.errors[0]?.error instanceof ReplyError && err.errors[0].error.kind === 'MaybeDelivered');
        // Failed once reconnecting failed, then 500 ms more; long before the 30 s timeout.
        const took = msSince(ctx, at);
        assert.ok(took >= 510 && took < 2000, `took ${took} ms`);
        assertClean(transport, targets);
      },
    });
  });

  it('raw ServiceEndpoints are targets too, mixed with typed method clients', async () => {
    await fanOutTest({
      replicas: 3,
      script: (replica) => ({ act: 'reply', afterMs: 10 * (3 - replica) }),
      client: async (_ctx, targets, transport) => {
        const raw = targets.slice(0, 2).map(
          (t) =>
            new ServiceEndpoint<Call, Answer>(
              transport,
              new Endpoint(t.endpoint.endpoint.address, Replica.methods.call.token),
              Replica.codec,
            ),
        );
        const mixed: FanOutTarget<Call, Answer>[] = [...raw, targets[2] as FanOutTarget<Call, Answer>];
        const replies = await fanOutAll(mixed, { op: 9 });
        assert.deepEqual(
          replies.map((r) => r.replica),
          [0, 1, 2],
        );
        assert.deepEqual(await fanOutQuorum(mixed, { op: 9 }, 1), [{ replica: 2, op: 9 }]);
        assertClean(transport, targets);
      },
    });
  });
});
