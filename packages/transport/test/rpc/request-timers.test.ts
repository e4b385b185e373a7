// RequestTimers: many request deadlines on one sleep; cancelled ones never fire; a wake a hair early
// (a clock's rounding) still fires what is due instead of sleeping zero for ever.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TimeProvider } from '@moonpool/core';
import { RequestTimers } from '../../src/rpc/request-timers.js';

/** A clock whose sleeps end when `run()` is called, `early` ms before they are due. */
function manualClock(early = 0) {
  let now = 0;
  const sleeps: { at: number; resolve: () => void; signal: AbortSignal | undefined }[] = [];
  const time: TimeProvider = {
    now: () => now,
    timer: () => now,
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        sleeps.push({ at: now + ms, resolve, signal });
        signal?.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
      }),
    timeout: () => Promise.reject(new Error('not used')),
  };
  /** Ends the earliest live sleep; false when none is left. */
  const step = async (): Promise<boolean> => {
    sleeps.sort((a, b) => a.at - b.at);
    const next = sleeps.findIndex((s) => s.signal?.aborted !== true);
    if (next < 0) return false;
    const [sleep] = sleeps.splice(next, 1);
    now = Math.max(now, (sleep?.at ?? now) - early);
    sleep?.resolve();
    await new Promise((r) => setImmediate(r));
    return true;
  };
  return { time, step, live: () => sleeps.filter((s) => s.signal?.aborted !== true).length };
}

describe('RequestTimers', () => {
  it('fires deadlines in order on one sleep; cancelled ones never fire', async () => {
    const clock = manualClock();
    const timers = new RequestTimers(clock.time);
    const fired: string[] = [];
    timers.after(30, () => fired.push('c'));
    const cancelB = timers.after(20, () => fired.push('b'));
    timers.after(10, () => fired.push('a'));
    cancelB();
    assert.equal(timers.pending, 2);
    let steps = 0;
    while (await clock.step()) steps++;
    assert.deepEqual(fired, ['a', 'c']);
    assert.equal(timers.pending, 0);
    assert.ok(steps <= 4, `${steps} sleeps`);
  });

  it('a wake a hair early still fires the deadline, once', async () => {
    const clock = manualClock(1e-9);
    const timers = new RequestTimers(clock.time);
    let fired = 0;
    timers.after(187, () => fired++);
    let steps = 0;
    while ((await clock.step()) && steps < 100) steps++;
    assert.equal(fired, 1);
    assert.ok(steps < 100, 'no endless re-arming');
  });

  it('close() stops the sleep; nothing fires', async () => {
    const clock = manualClock();
    const timers = new RequestTimers(clock.time);
    let fired = 0;
    timers.after(5, () => fired++);
    timers.close();
    assert.equal(clock.live(), 0);
    assert.equal(await clock.step(), false);
    assert.equal(fired, 0);
  });
});
