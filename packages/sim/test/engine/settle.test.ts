// The settle phase waits for work a workload still has, not for timers nobody waits for; when it
// times out, it names every pending event with its kind, machine, creation time and duration.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runOnce } from '../support/builder-helpers.js';

describe('settle', () => {
  it('a sleep that lost a race in a workload does not keep the iteration alive', async () => {
    let checked = false;
    const run = await runOnce((b) =>
      b.workload({
        name: 'racer',
        async run(ctx) {
          await Promise.race([ctx.time.sleep(10), ctx.time.sleep(1e9)]);
        },
        async check() {
          checked = true;
        },
      }),
    );
    assert.equal(run.ok, true, run.error);
    assert.equal(checked, true);
    assert.ok(run.simTimeMs < 1000, `settled at ${run.simTimeMs} ms`);
  });

  it('a timer a running task waits for still holds the settle phase, and the timeout names it', async () => {
    const run = await runOnce((b) =>
      b.workload({
        name: 'waiter',
        async run(ctx) {
          ctx.task.spawn('slow', () => ctx.time.sleep(50_000));
          await ctx.time.sleep(10);
        },
      }),
    );
    assert.equal(run.failure?.kind, 'settle-timeout');
    assert.ok(run.failure?.kind === 'settle-timeout');
    const [pending] = run.failure.pendingEvents;
    assert.ok(pending, 'the sleeping timer is listed');
    assert.equal(pending.kind, 'Timer');
    assert.equal(pending.machine, '10.0.0.1');
    assert.ok(pending.createdAtMs >= 0 && pending.createdAtMs < 10, `created at ${pending.createdAtMs}`);
    // The default network's chaos may add a buggified delay to a sleep.
    const duration = pending.dueAtMs - pending.createdAtMs;
    assert.ok(duration >= 50_000 && duration <= 50_100, `duration ${duration}`);
    assert.match(run.error ?? '', /pending events: 10\.0\.0\.1 Timer.*\(created at [\d.]+ ms, due at [\d.]+ ms, after [\d.]+ ms\)/);
  });
});
