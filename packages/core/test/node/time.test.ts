import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { getEventListeners } from 'node:events';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { NodeTimeProvider, TimeoutError } from '../../src/index.js';

const time = new NodeTimeProvider();

test('sleeps finish in order of their deadlines', async () => {
  const order: number[] = [];
  await Promise.all([30, 10, 20].map((ms) => time.sleep(ms).then(() => order.push(ms))));
  assert.deepEqual(order, [10, 20, 30]);
});

test('now() advances with real time and timer() follows it', async () => {
  const start = time.now();
  await time.sleep(15);
  assert.ok(time.now() - start >= 14);
  assert.ok(Math.abs(time.timer() - time.now()) < 5);
});

test('an aborted sleep rejects with the abort reason', async () => {
  const controller = new AbortController();
  const sleeping = time.sleep(10_000, controller.signal);
  controller.abort();
  await assert.rejects(sleeping, { name: 'AbortError' });
  const reason = new Error('stop');
  await assert.rejects(time.sleep(10, AbortSignal.abort(reason)), reason);
});

test('timeout passes through a result that comes in time', async () => {
  assert.equal(await time.timeout(1000, Promise.resolve(7)), 7);
  assert.equal(await time.timeout(1000, async () => 8), 8);
  await assert.rejects(time.timeout(1000, Promise.reject(new Error('boom'))), /boom/);
  await assert.rejects(
    time.timeout(1000, () => {
      throw new Error('sync boom');
    }),
    /sync boom/,
  );
});

test('timeout rejects with TimeoutError and aborts the work', async () => {
  let seen: AbortSignal | undefined;
  const work = (signal: AbortSignal): Promise<never> => {
    seen = signal;
    return new Promise(() => {});
  };
  await assert.rejects(time.timeout(20, work), (err: unknown) => {
    return err instanceof TimeoutError && err.ms === 20;
  });
  assert.equal(seen?.aborted, true);
  assert.ok(seen?.reason instanceof TimeoutError);
  // The signal cancels the inner sleep, so nothing outlives the timeout.
  await assert.rejects(
    time.timeout(10, (signal) => time.sleep(5_000, signal)),
    TimeoutError,
  );
});

test('cancelled sleeps and settled timeouts do not keep the process alive', async () => {
  const index = new URL('../../src/index.js', import.meta.url).href;
  const script = `
    const { NodeTimeProvider } = await import(${JSON.stringify(index)});
    const time = new NodeTimeProvider();
    const controller = new AbortController();
    time.sleep(60_000, controller.signal).catch(() => {});
    controller.abort();
    await time.timeout(60_000, Promise.resolve(1));
    await time.timeout(60_000, (signal) => time.sleep(1, signal));
  `;
  const start = Date.now();
  await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
    timeout: 5_000,
  });
  assert.ok(Date.now() - start < 2_000, 'child process exited promptly');
});

test('an abort rejects the sleeps on its signal in the order of its listeners, one listener for many sleeps', async () => {
  const controller = new AbortController();
  const signal = controller.signal;
  const order: string[] = [];
  const sleep = (name: string): Promise<unknown> =>
    time.sleep(10_000, signal).catch((err: unknown) => {
      order.push(name);
      return err;
    });
  const listen = (name: string): void => {
    signal.addEventListener('abort', () => queueMicrotask(() => order.push(name)));
  };
  const first = [sleep('a'), sleep('b')];
  assert.equal(getEventListeners(signal, 'abort').length, 1);
  listen('F');
  const last = sleep('c');
  controller.abort();
  const reasons = await Promise.all([...first, last]);
  assert.deepEqual(order, ['a', 'b', 'F', 'c']);
  assert.ok(reasons.every((err) => err === signal.reason));
});

test('an already aborted signal rejects at once and adds no listener', async () => {
  const signal = AbortSignal.abort();
  await assert.rejects(time.sleep(10, signal), { name: 'AbortError' });
  assert.equal(getEventListeners(signal, 'abort').length, 0);
});

test('the last sleep to fire takes the listener off, and the signal can be used again', async () => {
  const controller = new AbortController();
  const signal = controller.signal;
  await Promise.all([time.sleep(1, signal), time.sleep(5, signal)]);
  assert.equal(getEventListeners(signal, 'abort').length, 0);
  const again = time.sleep(10_000, signal);
  controller.abort();
  await assert.rejects(again, { name: 'AbortError' });
});
