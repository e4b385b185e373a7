// The executor's scheduling: time advances only when every task is parked, continuations and yields
// run in order within an instant, and sleeps and timeouts can be cancelled.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TimeoutError } from '@moonpool/core';
import type { SimContext } from '../../src/engine/context.js';
import { expectOk, runOnce, workload } from '../support/builder-helpers.js';
import { runKernel } from '../support/kernel-harness.js';

describe('executor: quiescence', () => {
  it('time only advances when every task is parked', async () => {
    let rounds = 0;
    await runKernel(async (m, h) => {
      const { time, task } = m.providers;
      // Keeps the queue full of events that would fire if the executor moved on too early.
      const ticker = task.spawn('ticker', async () => {
        for (let i = 0; i < 400; i++) await time.sleep(0.25);
      });
      for (let round = 0; round < 20; round++) {
        const t = time.now();
        const events = h.world.eventsProcessed;
        for (let i = 0; i < 1000; i++) {
          await null;
          assert.equal(time.now(), t, `time moved during microtask ${i} of round ${round}`);
          assert.equal(h.world.eventsProcessed, events, 'an event fired during a microtask chain');
        }
        await time.sleep(1);
        assert.equal(time.now(), t + 1);
        rounds++;
      }
      await ticker.join();
      assert.equal(time.now(), 100);
    });
    assert.equal(rounds, 20);
  });

  it('runs every continuation of one event before the next event, even at the same instant', async () => {
    const log: string[] = [];
    await runKernel(async (m) => {
      const { time, task } = m.providers;
      const a = task.spawn('a', async () => {
        await time.sleep(10);
        for (let i = 0; i < 60; i++) {
          log.push(`a${i}@${time.now()}`);
          if (i % 3 === 0) await null;
          else if (i % 3 === 1) await new Promise<void>((r) => queueMicrotask(r));
          else await new Promise<void>((r) => process.nextTick(r));
        }
      });
      const b = task.spawn('b', async () => {
        await time.sleep(10);
        log.push(`b@${time.now()}`);
      });
      const c = task.spawn('c', async () => {
        await time.sleep(10.001);
        log.push(`c@${time.now()}`);
      });
      await a.join();
      await b.join();
      await c.join();
    });
    const expected = Array.from({ length: 60 }, (_, i) => `a${i}@10`);
    expected.push('b@10', 'c@10.001');
    assert.deepEqual(log, expected);
  });

  it('drains fire-and-forget process.nextTick / queueMicrotask chains before time advances', async () => {
    const log: string[] = [];
    const seenTimes = new Set<number>();
    let links = 0;
    await runKernel(async (m) => {
      const { time, task } = m.providers;
      const late = task.spawn('late', async () => {
        await time.sleep(6);
        log.push(`late@${time.now()}`);
      });
      await time.sleep(5);
      const link = (n: number): void => {
        links++;
        seenTimes.add(time.now());
        if (n === 0) {
          log.push(`chain done@${time.now()}`);
          return;
        }
        const next = (): void => link(n - 1);
        switch (n % 4) {
          case 0:
            process.nextTick(next);
            break;
          case 1:
            queueMicrotask(next);
            break;
          case 2:
            void Promise.resolve().then(next);
            break;
          default:
            process.nextTick(() => queueMicrotask(() => process.nextTick(next)));
        }
      };
      link(300); // nobody awaits this chain
      await late.join();
    });
    assert.equal(links, 301);
    assert.deepEqual([...seenTimes], [5]);
    assert.deepEqual(log, ['chain done@5', 'late@6']);
  });

  it('yieldNow lets every other ready task run, in order, without advancing time', async () => {
    const log: string[] = [];
    await runKernel(async (m) => {
      const { time, task } = m.providers;
      const handles = ['a', 'b', 'c'].map((name) =>
        task.spawn(name, async () => {
          for (let i = 0; i < 3; i++) {
            log.push(`${name}${i}`);
            await task.yieldNow();
          }
          log.push(`${name}@${time.now()}`);
        }),
      );
      for (const h of handles) await h.join();
    });
    assert.deepEqual(log, [
      'a0',
      'b0',
      'c0',
      'a1',
      'b1',
      'c1',
      'a2',
      'b2',
      'c2',
      'a@0',
      'b@0',
      'c@0',
    ]);
  });

  it('a yield goes after events already scheduled for the same instant', async () => {
    const log: string[] = [];
    await runKernel(async (m) => {
      const { time, task } = m.providers;
      await time.sleep(2);
      const sleeper = task.spawn('sleeper', async () => {
        await time.sleep(0);
        log.push('sleeper');
      });
      const yielder = task.spawn('yielder', async () => {
        await task.yieldNow();
        log.push('yielder');
      });
      await sleeper.join();
      await yielder.join();
      assert.equal(time.now(), 2);
    });
    assert.deepEqual(log, ['sleeper', 'yielder']);
  });
});

describe('executor: cancellable sleeps and timeouts', () => {
  it('an aborted sleep rejects, is unscheduled and does not advance time', async () => {
    const h = await runKernel(async (m, h) => {
      const { time } = m.providers;
      const ac = new AbortController();
      const long = time.sleep(1000, ac.signal).then(
        () => 'resolved',
        (e: unknown) => (e instanceof Error ? e.name : String(e)),
      );
      await time.sleep(5);
      assert.equal(m.machine.pendingEvents, 1);
      ac.abort();
      assert.equal(await long, 'AbortError');
      assert.equal(m.machine.pendingEvents, 0);
      assert.equal(h.world.settleEvents, 0);

      // An already-aborted signal rejects at once and schedules nothing.
      const queued = h.world.queue.size;
      await assert.rejects(time.sleep(10, ac.signal), { name: 'AbortError' });
      assert.equal(h.world.queue.size, queued);

      // The abort reason is what the sleep rejects with.
      const ac2 = new AbortController();
      const withReason = time.sleep(50, ac2.signal);
      ac2.abort(new Error('changed my mind'));
      await assert.rejects(withReason, /changed my mind/);

      // Promise.race of sleeps: the loser is cancelled.
      const ac3 = new AbortController();
      const winner = await Promise.race([
        time.sleep(3, ac3.signal).then(() => 'short'),
        time.sleep(3000, ac3.signal).then(
          () => 'long',
          () => 'cancelled',
        ),
      ]);
      ac3.abort();
      assert.equal(winner, 'short');
      assert.equal(time.now(), 8);
      await time.sleep(1);
      assert.equal(time.now(), 9);
      assert.equal(m.machine.pendingEvents, 0);
    });
    assert.equal(h.world.nowMs(), 9);
  });

  it('a cancelled sleep does not keep a simulation alive', async () => {
    const body =
      (cancel: boolean) =>
      async (ctx: SimContext): Promise<void> => {
        const ac = new AbortController();
        const winner = await Promise.race([
          ctx.time.sleep(5).then(() => 'short'),
          ctx.time.sleep(10_000, ac.signal).then(
            () => 'long',
            () => 'cancelled',
          ),
        ]);
        if (winner !== 'short') throw new Error(`winner ${winner}`);
        if (cancel) ac.abort();
      };
    const cancelled = await runOnce((b) => b.workload(workload('racer', body(true))));
    expectOk(cancelled);
    // 5 ms plus at most 100 ms of buggified delay.
    assert.ok(cancelled.simTimeMs >= 5 && cancelled.simTimeMs <= 105, `${cancelled.simTimeMs}`);
    // Without the abort the losing sleep is abandoned too: its workload has no task left to wake.
    const abandoned = await runOnce((b) => b.workload(workload('racer', body(false))));
    expectOk(abandoned);
    assert.ok(abandoned.simTimeMs <= 105, `${abandoned.simTimeMs}`);
  });

  it('timeout rejects with TimeoutError and aborts the work when time runs out', async () => {
    let innerError: unknown;
    await runKernel(async (m) => {
      const { time } = m.providers;
      await assert.rejects(
        time.timeout(10, async (signal) => {
          try {
            await time.sleep(50, signal);
          } catch (err) {
            innerError = err;
            throw err;
          }
        }),
        (err: unknown) => err instanceof TimeoutError && err.ms === 10,
      );
      assert.equal(time.now(), 10);
      assert.equal(m.machine.pendingEvents, 0, 'the inner sleep was cancelled');
      await time.sleep(100);
      assert.equal(time.now(), 110);
    });
    assert.ok(innerError instanceof TimeoutError);
  });

  it('timeout cancels its timer when the work wins (or fails)', async () => {
    await runKernel(async (m) => {
      const { time } = m.providers;
      const value = await time.timeout(
        100,
        time.sleep(5).then(() => 42),
      );
      assert.equal(value, 42);
      assert.equal(time.now(), 5);
      assert.equal(m.machine.pendingEvents, 0, 'the timer was cancelled');
      await assert.rejects(time.timeout(100, Promise.reject(new Error('inner'))), /inner/);
      assert.equal(m.machine.pendingEvents, 0);
      await time.sleep(1);
      assert.equal(time.now(), 6);
    });
    const run = await runOnce((b) =>
      b.workload(
        workload('quick', async (ctx) => {
          await ctx.time.timeout(20_000, ctx.time.sleep(1));
        }),
      ),
    );
    expectOk(run);
    assert.ok(run.simTimeMs <= 101, `the timer kept the simulation alive: ${run.simTimeMs}`);
  });
});
