// fanOutAll in the simulator: replies in the targets' order whatever order they come in; the first
// failure rejects at once and gives the other calls up (their reply endpoints removed then).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FanOutError, fanOutAll, ReplyError } from '../../src/index.js';
import { ANSWER, assertClean, fanOutTest, msSince } from '../support/fan-out-replicas.js';

describe('fanOutAll', () => {
  it('resolves with every reply in the targets order, once the slowest came', async () => {
    const seen: string[] = [];
    await fanOutTest({
      replicas: 5,
      seen,
      // Replica i answers after 50 - 10 i ms: the replies come in the reverse order.
      script: (replica) => ({ act: 'reply', afterMs: 50 - 10 * replica }),
      client: async (ctx, targets, transport) => {
        const at = ctx.time.now();
        const replies = await fanOutAll(targets, { op: 7 });
        assert.equal(msSince(ctx, at), 50);
        assert.deepEqual(
          replies.map((r) => r.replica),
          [0, 1, 2, 3, 4],
        );
        assert.ok(replies.every((r) => r.op === 7));
        assertClean(transport, targets);
      },
    });
    assert.deepEqual([...seen].sort(), ['0:7', '1:7', '2:7', '3:7', '4:7']);
  });

  it('rejects CallFailed at the first failure, giving up the calls still out at once', async () => {
    await fanOutTest({
      replicas: 4,
      // Replica 2 breaks its promise after 10 ms; replica 3 fails later; the others hold for ever.
      script: (replica) =>
        replica === 2 ? { act: 'break', afterMs: 10 } : replica === 3 ? { act: 'break', afterMs: 20 } : { act: 'hold' },
      client: async (ctx, targets, transport) => {
        const at = ctx.time.now();
        const failure = await fanOutAll(targets, { op: 1 }).catch((err: unknown) => err);
        assert.equal(msSince(ctx, at), 10, 'at the first failure, not at the timeout');
        // Checked before anything else runs: the three calls still out were given up with the fan-out.
        assertClean(transport, targets);
        assert.ok(failure instanceof FanOutError);
        assert.equal(failure.kind, 'CallFailed');
        assert.equal(failure.errors.length, 1);
        assert.equal(failure.errors[0]?.index, 2);
        const error = failure.errors[0]?.error;
        assert.ok(error instanceof ReplyError && error.kind === 'BrokenPromise');
        assert.equal(failure.cause, error);
        assert.match(failure.message, /^CallFailed: call 2 of 4 failed.*\[2\] BrokenPromise: .*replica 2 breaks op 1/);
      },
    });
  });

  it('a call timing out is the failure; the others were answered', async () => {
    await fanOutTest({
      replicas: 3,
      script: (replica) => (replica === 1 ? { act: 'hold' } : { act: 'reply', afterMs: 5 }),
      client: async (ctx, targets, transport) => {
        const at = ctx.time.now();
        await assert.rejects(fanOutAll(targets, { op: 1 }, { timeoutMs: 100 }), (err: unknown) => {
          assert.ok(err instanceof FanOutError && err.kind === 'CallFailed');
          assert.equal(err.errors[0]?.index, 1);
          assert.ok(err.errors[0]?.error instanceof ReplyError && err.errors[0].error.kind === 'Timeout');
          return true;
        });
        assert.equal(msSince(ctx, at), 100);
        assertClean(transport, targets);
      },
    });
  });

  it('no targets: [] at once', async () => {
    await fanOutTest({
      replicas: 1,
      script: ANSWER,
      client: async (ctx, _targets, transport) => {
        const at = ctx.time.now();
        assert.deepEqual(await fanOutAll([], { op: 1 }), []);
        assert.equal(ctx.time.now(), at);
        assert.equal(transport.endpointCount, 0);
      },
    });
  });
});
