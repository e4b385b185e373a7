import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { callAfter, NodeTimeProvider, type TimeProvider } from '../../src/index.js';

const node = new NodeTimeProvider();
/** A provider without `callAfter`: `callAfter` falls back to a sleep with a signal. */
const plain: TimeProvider = {
  sleep: (ms, signal) => node.sleep(ms, signal),
  now: () => node.now(),
  timer: () => node.timer(),
  timeout: (ms, work) => node.timeout(ms, work),
};

for (const [name, time] of [
  ['NodeTimeProvider', node],
  ['a provider without callAfter', plain],
] as const) {
  describe(`callAfter on ${name}`, () => {
    it('fires once after the time', async () => {
      const start = time.now();
      let fired = 0;
      await new Promise<void>((resolve) =>
        callAfter(time, 10, () => {
          fired++;
          resolve();
        }),
      );
      assert.ok(time.now() - start >= 9);
      await node.sleep(15);
      assert.equal(fired, 1);
    });

    it('called off, it never fires; calling off twice or after it fired does nothing', async () => {
      let fired = false;
      const callOff = callAfter(time, 5, () => (fired = true));
      callOff();
      callOff();
      await node.sleep(20);
      assert.equal(fired, false);
      let count = 0;
      const late = callAfter(time, 1, () => count++);
      await node.sleep(10);
      late();
      assert.equal(count, 1);
    });
  });
}
