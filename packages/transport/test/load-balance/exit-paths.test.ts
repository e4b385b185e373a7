// Every request loadBalance records in the queue model is released, however the call ends: a reply,
// an error returned at once, errors retried on the next alternative, a timeout, the caller's abort
// (during a request and during the backoff), and a target that throws.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Endpoint } from '@moonpool/core';
import {
  Alternatives,
  AtMostOnce,
  Distance,
  jsonCodec,
  LoadBalanceConfig,
  loadBalance,
  QueueModel,
  type RequestOptions,
  ServiceEndpoint,
} from '../../src/index.js';
import type { AddReply, AddRequest } from '../support/adder.js';
import { answer, clientTransport, replica, type Seen, stableAdder } from '../support/replicas.js';
import { isReplyError, simulate } from '../support/simulate.js';

/** Requests with `a` of 1000 and above are kept unanswered; from 2000, given up (BrokenPromise). */
const KEEP = 1000;
const BREAK = 2000;

/** A stable endpoint whose getReply and tryGetReply throw, as a buggy target could. */
class Throwing extends ServiceEndpoint<AddRequest, AddReply> {
  override getReply(_request: AddRequest, _options?: RequestOptions): Promise<AddReply> {
    throw new Error('thrown by the target');
  }
  override tryGetReply(request: AddRequest, options?: RequestOptions): Promise<AddReply> {
    return this.getReply(request, options);
  }
}

describe('loadBalance: the model holder is released on every exit path', () => {
  it('reply, error at once, retried errors, timeout, abort during a request or the backoff, a throw', async () => {
    const log: Seen[] = [];
    await simulate({
      servers: 2,
      seeds: [1, 2],
      server: replica(log, (ctx, r, reply) => {
        if (r.a >= BREAK) reply.abandon(`attempt at ${ctx.myIp}`);
        else if (r.a < KEEP) answer(ctx, r, reply);
      }),
      client: async (ctx, ips) => {
        log.length = 0;
        const transport = clientTransport(ctx);
        const [near, far] = ips as [string, string];
        const alternatives = Alternatives.of([
          { target: stableAdder(transport, near), distance: Distance.SameDc },
          { target: stableAdder(transport, far), distance: Distance.Remote },
        ]);
        const model = new QueueModel(ctx.time);
        const out = (e: Endpoint): number => model.outstanding(e);
        const [atNear, atFar] = [alternatives.endpoint(0), alternatives.endpoint(1)];
        const call = (a: number, atMostOnce: boolean, options: { timeoutMs?: number; signal?: AbortSignal } = {}) =>
          loadBalance(transport, alternatives, { a, b: 0 }, atMostOnce, model, undefined, options);
        /** What the model counts 1 ms from now (while a call is out). */
        const in1ms = async (): Promise<number[]> => {
          await ctx.time.sleep(1);
          return [out(atNear), out(atFar)];
        };

        // A reply.
        assert.equal((await call(1, AtMostOnce.False)).sum, 1);
        assert.deepEqual([out(atNear), out(atFar)], [0, 0]);
        assert.ok(model.lastLatency(atNear) !== undefined);

        // BrokenPromise with AtMostOnce.True: returned at once, the farther one never tried.
        await assert.rejects(call(BREAK, AtMostOnce.True), isReplyError('BrokenPromise'));
        assert.deepEqual([out(atNear), out(atFar)], [0, 0]);

        // BrokenPromise with AtMostOnce.False: both tried, in each of 2 cycles, each released.
        await assert.rejects(call(BREAK + 1, AtMostOnce.False), isReplyError('BrokenPromise'));
        assert.equal(log.filter((s) => s.a === BREAK + 1).length, 4);
        assert.deepEqual([out(atNear), out(atFar)], [0, 0]);

        // A timeout (AtMostOnce.True: returned at once). Counted while out, released after.
        const timingOut = call(KEEP, AtMostOnce.True, { timeoutMs: 100 });
        const rejected = assert.rejects(timingOut, isReplyError('Timeout'));
        assert.deepEqual(await in1ms(), [1, 0]);
        await rejected;
        assert.deepEqual([out(atNear), out(atFar)], [0, 0]);

        // The caller aborts while the request is out: rejected with the signal's reason.
        const controller = new AbortController();
        const aborted = call(KEEP + 1, AtMostOnce.False, { signal: controller.signal });
        const abortRejected = assert.rejects(aborted, /caller gave up/);
        assert.deepEqual(await in1ms(), [1, 0]);
        controller.abort(new Error('caller gave up'));
        await abortRejected;
        assert.deepEqual([out(atNear), out(atFar)], [0, 0]);
        assert.equal(log.filter((s) => s.a === KEEP + 1).length, 1, 'an abort is not retried elsewhere');

        // The caller aborts during the backoff between cycles (both alternatives broke the promise).
        const backoff = new AbortController();
        const config = LoadBalanceConfig.default({ initialBackoffMs: 500 });
        const started = ctx.time.now();
        const inBackoff = loadBalance(transport, alternatives, { a: BREAK + 2, b: 0 }, false, model, config, {
          signal: backoff.signal,
        });
        const backoffRejected = assert.rejects(inBackoff, /stop waiting/);
        await ctx.time.sleep(100);
        assert.equal(log.filter((s) => s.a === BREAK + 2).length, 2, 'one cycle done, sleeping');
        backoff.abort(new Error('stop waiting'));
        await backoffRejected;
        assert.ok(ctx.time.now() - started < 101, 'rejected at the abort, not at the end of the sleep');
        assert.deepEqual([out(atNear), out(atFar)], [0, 0]);

        // A target that throws instead of rejecting: the throw reaches the caller, nothing stays out.
        const throwing = Alternatives.of([
          { target: new Throwing(transport, atNear, jsonCodec, { stable: true }), distance: Distance.SameDc },
          { target: stableAdder(transport, far), distance: Distance.Remote },
        ]);
        for (const atMostOnce of [false, true]) {
          await assert.rejects(
            loadBalance(transport, throwing, { a: 3, b: 0 }, atMostOnce, model),
            /thrown by the target/,
          );
        }
        assert.deepEqual([out(atNear), out(atFar)], [0, 0]);
        assert.equal(log.filter((s) => s.a === 3).length, 0, 'a bug is not retried elsewhere');
        await transport.close();
      },
    });
  });
});
