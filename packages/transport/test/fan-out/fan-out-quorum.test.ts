// fanOutQuorum in the simulator: the first `required` replies in the order they came; QuorumNotMet as
// soon as too many failed (and not sooner); MaybeDelivered and BrokenPromise count as failures;
// required 0 sends nothing; the calls still out when it is decided are given up at once.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FanOutError, fanOutQuorum, ReplyError, type ReplyErrorKind } from '../../src/index.js';
import { ANSWER, assertClean, fanOutTest, msSince } from '../support/fan-out-replicas.js';

/** The kinds of a FanOutError's failures, by index, e.g. `0:BrokenPromise`. */
function failureKinds(err: FanOutError): string[] {
  return err.errors.map(({ index, error }) => `${index}:${error instanceof ReplyError ? error.kind : String(error)}`);
}

describe('fanOutQuorum', () => {
  it('resolves with the first `required` replies in the order they came, giving up the rest at once', async () => {
    const seen: string[] = [];
    await fanOutTest({
      replicas: 5,
      seen,
      // Replica i answers after these ms: 2, 4 and 3 come first, in that order; 0 and 1 hold.
      script: (replica) => (replica < 2 ? { act: 'hold' } : { act: 'reply', afterMs: [0, 0, 10, 30, 20][replica] }),
      client: async (ctx, targets, transport) => {
        const at = ctx.time.now();
        const replies = await fanOutQuorum(targets, { op: 3 }, 3);
        assert.equal(msSince(ctx, at), 30, 'when the third reply came');
        assertClean(transport, targets);
        assert.deepEqual(
          replies.map((r) => r.replica),
          [2, 4, 3],
        );
      },
    });
    // Every replica got the request: the two that held it were given up by the client only.
    assert.deepEqual([...seen].sort(), ['0:3', '1:3', '2:3', '3:3', '4:3']);
  });

  it('QuorumNotMet as soon as too few calls can still succeed, with every failure so far', async () => {
    await fanOutTest({
      replicas: 5,
      // 3 of 5 needed. Replicas 1, 3, 0 fail at 10, 20, 30 ms; 2 and 4 hold for ever.
      script: (replica) => {
        const failsAt = [30, 10, 0, 20, 0][replica] as number;
        return failsAt > 0 ? { act: 'break', afterMs: failsAt } : { act: 'hold' };
      },
      client: async (ctx, targets, transport) => {
        const at = ctx.time.now();
        const err = await fanOutQuorum(targets, { op: 1 }, 3).catch((e: unknown) => e);
        // After two failures three replicas could still answer; after the third, only two.
        assert.equal(msSince(ctx, at), 30, 'at the third failure, not at a timeout');
        assertClean(transport, targets);
        assert.ok(err instanceof FanOutError && err.kind === 'QuorumNotMet');
        assert.deepEqual(failureKinds(err), ['0:BrokenPromise', '1:BrokenPromise', '3:BrokenPromise']);
        assert.match(err.message, /^QuorumNotMet: 3 of 5 calls had to succeed; 3 failed, 0 succeeded/);
      },
    });
  });

  it('is not decided while the quorum can still be reached: two failures, then three replies', async () => {
    await fanOutTest({
      replicas: 5,
      script: (replica) => (replica < 2 ? { act: 'break', afterMs: 5 * (replica + 1) } : { act: 'reply', afterMs: 50 }),
      client: async (ctx, targets, transport) => {
        const at = ctx.time.now();
        const replies = await fanOutQuorum(targets, { op: 1 }, 3);
        assert.equal(msSince(ctx, at), 50);
        assert.deepEqual(replies.map((r) => r.replica).sort(), [2, 3, 4]);
        assertClean(transport, targets);
      },
    });
  });

  it('a failure after the quorum was reached changes nothing', async () => {
    await fanOutTest({
      replicas: 3,
      script: (replica) => (replica === 2 ? { act: 'break', afterMs: 20 } : { act: 'reply', afterMs: 10 }),
      client: async (ctx, targets, transport) => {
        const replies = await fanOutQuorum(targets, { op: 1 }, 2);
        assert.deepEqual(replies.map((r) => r.replica).sort(), [0, 1]);
        assertClean(transport, targets);
        await ctx.time.sleep(50); // the late failure would have come by now
      },
    });
  });

  it('MaybeDelivered counts as a failure (atMostOnce, replicas crashing with the request out)', async () => {
    await fanOutTest({
      replicas: 3,
      // Replicas 0 and 1 hold the request and then crash; replica 2 answers after 100 ms.
      script: (replica) => (replica < 2 ? { act: 'hold' } : { act: 'reply', afterMs: 100 }),
      client: async (ctx, targets, transport) => {
        const at = ctx.time.now();
        const quorum = fanOutQuorum(targets, { op: 1 }, 2, { atMostOnce: true }).catch((e: unknown) => e);
        await ctx.time.sleep(10);
        for (const ip of ctx.topology.processIps.slice(0, 2)) ctx.cluster.reboot(ip, 'Crash', { recoveryDelayMs: 1000 });
        const err = await quorum;
        // Decided when the second connection failed: replica 2's reply could not make a quorum alone.
        assert.ok(msSince(ctx, at) < 100, `decided at ${msSince(ctx, at)} ms, before replica 2 answered`);
        assertClean(transport, targets);
        assert.ok(err instanceof FanOutError && err.kind === 'QuorumNotMet');
        assert.deepEqual(failureKinds(err), ['0:MaybeDelivered', '1:MaybeDelivered']);
      },
    });
  });

  it('BrokenPromise and MaybeDelivered together: one of each leaves 1 of 3, short of 2', async () => {
    await fanOutTest({
      replicas: 3,
      script: (replica) =>
        replica === 0 ? { act: 'break', afterMs: 5 } : replica === 1 ? { act: 'hold' } : { act: 'reply', afterMs: 100 },
      client: async (ctx, targets, transport) => {
        const quorum = fanOutQuorum(targets, { op: 1 }, 2, { atMostOnce: true }).catch((e: unknown) => e);
        await ctx.time.sleep(10);
        ctx.cluster.reboot(ctx.topology.processIps[1] as string, 'Crash', { recoveryDelayMs: 1000 });
        const err = await quorum;
        assertClean(transport, targets);
        assert.ok(err instanceof FanOutError && err.kind === 'QuorumNotMet');
        const kinds: ReplyErrorKind[] = ['BrokenPromise', 'MaybeDelivered'];
        assert.deepEqual(failureKinds(err), kinds.map((k, i) => `${i}:${k}`));
      },
    });
  });

  it('required 0 resolves with [] at once and sends nothing', async () => {
    const seen: string[] = [];
    await fanOutTest({
      replicas: 3,
      seen,
      script: ANSWER,
      client: async (ctx, targets, transport) => {
        const at = ctx.time.now();
        assert.deepEqual(await fanOutQuorum(targets, { op: 1 }, 0), []);
        assert.equal(ctx.time.now(), at);
        assert.equal(transport.endpointCount, 0);
        await ctx.time.sleep(10);
      },
    });
    assert.deepEqual(seen, []);
  });

  it('required more than the targets, negative or fractional: RangeError, nothing sent', async () => {
    const seen: string[] = [];
    await fanOutTest({
      replicas: 3,
      seen,
      script: ANSWER,
      client: async (ctx, targets) => {
        for (const required of [4, -1, 1.5, Number.NaN]) {
          await assert.rejects(fanOutQuorum(targets, { op: 1 }, required), (err: unknown) => {
            assert.ok(err instanceof RangeError);
            assert.match(err.message, /required must be a whole number from 0 to 3 \(the targets\), got/);
            return true;
          });
        }
        await assert.rejects(fanOutQuorum([], { op: 1 }, 1), RangeError);
        assert.deepEqual(await fanOutQuorum([], { op: 1 }, 0), []);
        await ctx.time.sleep(10);
      },
    });
    assert.deepEqual(seen, []);
  });

  it('required = all: one failure is enough to fail, like fanOutAll', async () => {
    await fanOutTest({
      replicas: 3,
      script: (replica) => (replica === 1 ? { act: 'break', afterMs: 5 } : { act: 'hold' }),
      client: async (ctx, targets, transport) => {
        const at = ctx.time.now();
        await assert.rejects(fanOutQuorum(targets, { op: 1 }, 3), (err: unknown) => err instanceof FanOutError && err.kind === 'QuorumNotMet');
        assert.equal(msSince(ctx, at), 5);
        assertClean(transport, targets);
      },
    });
  });
});
