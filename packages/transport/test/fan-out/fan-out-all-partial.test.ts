// fanOutAllPartial in the simulator: every call's outcome, success or failure, in the targets' order,
// once the last has settled; it fails only for no targets.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FanOutError, fanOutAllPartial, ReplyError } from '../../src/index.js';
import { ANSWER, assertClean, fanOutTest, msSince } from '../support/fan-out-replicas.js';

/** An outcome as `ok <replica>` or its error's kind. */
function describe_(result: PromiseSettledResult<{ replica: number }>): string {
  if (result.status === 'fulfilled') return `ok ${result.value.replica}`;
  return result.reason instanceof ReplyError ? result.reason.kind : String(result.reason);
}

describe('fanOutAllPartial', () => {
  it('every outcome in the targets order, once the last settled: replies, a broken promise, a timeout', async () => {
    await fanOutTest({
      replicas: 4,
      script: (replica) =>
        [
          { act: 'reply', afterMs: 30 } as const,
          { act: 'break', afterMs: 5 } as const,
          { act: 'reply', afterMs: 10 } as const,
          { act: 'hold' } as const,
        ][replica] ?? ANSWER(replica, 0),
      client: async (ctx, targets, transport) => {
        const at = ctx.time.now();
        const results = await fanOutAllPartial(targets, { op: 1 }, { timeoutMs: 100 });
        assert.equal(msSince(ctx, at), 100, 'the last outcome is the timeout');
        assertClean(transport, targets);
        assert.deepEqual(results.map(describe_), ['ok 0', 'BrokenPromise', 'ok 2', 'Timeout']);
      },
    });
  });

  it('resolves even when every call failed', async () => {
    await fanOutTest({
      replicas: 2,
      script: () => ({ act: 'break' }),
      client: async (_ctx, targets, transport) => {
        const results = await fanOutAllPartial(targets, { op: 1 });
        assert.deepEqual(results.map(describe_), ['BrokenPromise', 'BrokenPromise']);
        assertClean(transport, targets);
      },
    });
  });

  it('no targets: EmptyInput', async () => {
    await fanOutTest({
      replicas: 1,
      script: ANSWER,
      client: async () => {
        await assert.rejects(
          fanOutAllPartial([], { op: 1 }),
          (err: unknown) => err instanceof FanOutError && err.kind === 'EmptyInput' && /no targets/.test(err.message),
        );
      },
    });
  });
});
