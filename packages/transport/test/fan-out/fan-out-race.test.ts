// fanOutRace in the simulator: the first reply wins (failures before it do not matter) and the rest
// are given up at once; AllFailed carries every failure, in the targets' order; no targets is EmptyInput.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FanOutError, fanOutRace, ReplyError } from '../../src/index.js';
import { ANSWER, assertClean, fanOutTest, msSince } from '../support/fan-out-replicas.js';

describe('fanOutRace', () => {
  it('resolves with the first reply, giving up the others at once', async () => {
    await fanOutTest({
      replicas: 3,
      script: (replica) => ({ act: 'reply', afterMs: [30, 10, 20][replica] }),
      client: async (ctx, targets, transport) => {
        const at = ctx.time.now();
        const winner = await fanOutRace(targets, { op: 5 });
        assert.equal(msSince(ctx, at), 10);
        assertClean(transport, targets);
        assert.deepEqual(winner, { replica: 1, op: 5 });
      },
    });
  });

  it('failures before the first reply do not decide it', async () => {
    await fanOutTest({
      replicas: 3,
      script: (replica) => (replica === 2 ? { act: 'reply', afterMs: 40 } : { act: 'break', afterMs: 10 * (replica + 1) }),
      client: async (ctx, targets, transport) => {
        const at = ctx.time.now();
        assert.equal((await fanOutRace(targets, { op: 1 })).replica, 2);
        assert.equal(msSince(ctx, at), 40);
        assertClean(transport, targets);
      },
    });
  });

  it('AllFailed once every call failed, with every error in the targets order', async () => {
    await fanOutTest({
      replicas: 3,
      // They fail in the order 2, 0, 1; replica 1 by timing out.
      script: (replica) => (replica === 1 ? { act: 'hold' } : { act: 'break', afterMs: replica === 2 ? 10 : 20 }),
      client: async (ctx, targets, transport) => {
        const at = ctx.time.now();
        const err = await fanOutRace(targets, { op: 1 }, { timeoutMs: 50 }).catch((e: unknown) => e);
        assert.equal(msSince(ctx, at), 50, 'when the last one failed');
        assertClean(transport, targets);
        assert.ok(err instanceof FanOutError && err.kind === 'AllFailed');
        assert.deepEqual(
          err.errors.map((f) => [f.index, f.error instanceof ReplyError ? f.error.kind : '?']),
          [
            [0, 'BrokenPromise'],
            [1, 'Timeout'],
            [2, 'BrokenPromise'],
          ],
        );
        assert.match(err.message, /^AllFailed: all 3 calls failed: \[0\] BrokenPromise.*; \[1\] Timeout.*; \[2\] BrokenPromise/);
      },
    });
  });

  it('no targets: EmptyInput', async () => {
    await fanOutTest({
      replicas: 1,
      script: ANSWER,
      client: async () => {
        await assert.rejects(fanOutRace([], { op: 1 }), (err: unknown) => {
          assert.ok(err instanceof FanOutError && err.kind === 'EmptyInput');
          assert.deepEqual(err.errors, []);
          return true;
        });
      },
    });
  });
});
