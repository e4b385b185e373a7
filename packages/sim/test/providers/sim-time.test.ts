// SimTimeProvider.callAfter: the timer of sleep(ms, signal), called off without an AbortSignal; and
// sleep(ms, signal): how an abort ends sleeps that share one listener per signal.
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Executor } from '../../src/kernel/executor.js';
import { Machine } from '../../src/kernel/machine.js';
import { spawnTask } from '../../src/kernel/tasks.js';
import { SimWorld } from '../../src/kernel/world.js';
import { SimProviders } from '../../src/providers/sim-providers.js';
import type { SimTimeProvider } from '../../src/providers/sim-time.js';
import { runKernel } from '../support/kernel-harness.js';

describe('SimTimeProvider.callAfter', () => {
  it('fires once at its simulated time, one microtask after its event', async () => {
    await runKernel(async (m) => {
      const { time } = m.providers;
      const fired: number[] = [];
      time.callAfter(7, () => fired.push(time.now()));
      await time.sleep(7); // scheduled after the timer: wakes after it fired
      assert.deepEqual(fired, [7]);
      await time.sleep(100);
      assert.deepEqual(fired, [7]);
    });
  });

  it('called off, it never fires, leaves nothing pending and does not advance time', async () => {
    const h = await runKernel(async (m) => {
      const { time } = m.providers;
      let fired = false;
      const callOff = time.callAfter(1000, () => (fired = true));
      assert.equal(m.machine.pendingEvents, 1);
      callOff();
      callOff(); // twice does nothing
      assert.equal(m.machine.pendingEvents, 0);
      await time.sleep(1);
      assert.equal(fired, false);
    });
    assert.equal(h.world.nowMs(), 1);
  });

  it('on a dead machine never fires, like a sleep', async () => {
    await runKernel(async (m) => {
      m.machine.alive = false;
      let fired = false;
      m.providers.time.callAfter(1, () => (fired = true))();
      assert.equal(m.machine.pendingEvents, 0);
      m.machine.alive = true;
      await m.providers.time.sleep(2);
      assert.equal(fired, false);
    });
  });

  it('makes no AbortController', async () => {
    const Real = globalThis.AbortController;
    let made = 0;
    globalThis.AbortController = class extends Real {
      constructor() {
        super();
        made++;
      }
    };
    try {
      await runKernel(async (m) => {
        const { time } = m.providers;
        for (let i = 0; i < 10; i++) time.callAfter(100, () => {})();
        await new Promise<void>((resolve) => time.callAfter(1, resolve));
      });
    } finally {
      globalThis.AbortController = Real;
    }
    assert.equal(made, 0);
  });

  it('schedules and draws exactly what sleep(ms, signal) does (same trace hash under sleep chaos)', async () => {
    // The same timers set and called off both ways: the hashes (events, their times and the
    // generator's calls) must not tell them apart, so switching keeps every simulation's hashes.
    const withSleep = async (time: SimTimeProvider, ms: number, callOff: boolean): Promise<void> => {
      const controller = new AbortController();
      const sleeping = time.sleep(ms, controller.signal).catch(() => {});
      if (callOff) controller.abort();
      await sleeping;
    };
    const withCallAfter = async (time: SimTimeProvider, ms: number, callOff: boolean): Promise<void> => {
      await new Promise<void>((resolve) => {
        const off = time.callAfter(ms, resolve);
        if (callOff) {
          off();
          resolve();
        }
      });
    };
    const hashOf = async (timer: typeof withSleep): Promise<string> => {
      const world = new SimWorld(99n);
      const machine = new Machine('10.0.0.1', 'timers', 'workload');
      world.addMachine(machine);
      const { time } = new SimProviders(world, machine, {
        sleepChaos: { enabled: true, probability: 0.5, maxMs: 10 },
      });
      const main = async (): Promise<void> => {
        for (let i = 0; i < 200; i++) {
          await timer(time, 1 + (i % 7), i % 3 === 0);
          await time.sleep(0.5);
        }
      };
      const outcome = await new Executor(world).run(spawnTask(world, machine, 'main', main).join());
      assert.equal(outcome.failure, null);
      return `${world.trace.hex()} ${world.rng.calls} ${world.now}`;
    };
    assert.equal(await hashOf(withCallAfter), await hashOf(withSleep));
  });
});

describe('SimTimeProvider.sleep with a signal', () => {
  it('an abort rejects every pending sleep on the signal with its reason, and cancels their timers', async () => {
    const h = await runKernel(async (m) => {
      const { time } = m.providers;
      const controller = new AbortController();
      const sleeps = [1000, 2000, 3000].map((ms) => time.sleep(ms, controller.signal));
      assert.equal(m.machine.pendingEvents, 3);
      controller.abort();
      assert.equal(m.machine.pendingEvents, 0);
      const reasons = await Promise.all(sleeps.map((s) => s.then(() => 'resolved', (err: unknown) => err)));
      assert.ok(reasons.every((err) => err === controller.signal.reason));
      assert.equal((reasons[0] as Error).name, 'AbortError');
      // A reason that is not an Error: each sleep gets an AbortError of its own.
      const other = new AbortController();
      const two = [time.sleep(5, other.signal), time.sleep(5, other.signal)].map((s) => s.catch((err: Error) => err));
      other.abort('why');
      const [a, b] = await Promise.all(two);
      assert.equal(a?.name, 'AbortError');
      assert.notEqual(a, b);
    });
    assert.equal(h.world.nowMs(), 0); // cancelled timers do not advance time
  });

  it('rejects in the order of the abort listeners, among listeners added between sleeps', async () => {
    await runKernel(async (m) => {
      const { time } = m.providers;
      const controller = new AbortController();
      const signal = controller.signal;
      const order: string[] = [];
      const sleep = (name: string): void => {
        time.sleep(100, signal).catch(() => order.push(name));
      };
      const listen = (name: string): void => {
        signal.addEventListener('abort', () => queueMicrotask(() => order.push(name)));
      };
      sleep('a');
      sleep('b');
      listen('F');
      sleep('c');
      const removed = (): void => {
        order.push('removed');
      };
      signal.addEventListener('abort', removed);
      signal.removeEventListener('abort', removed);
      sleep('d');
      listen('G');
      sleep('e');
      controller.abort();
      await time.sleep(1);
      assert.deepEqual(order, ['a', 'b', 'F', 'c', 'd', 'G', 'e']);
    });
  });

  it('a sleep that joins after the first one fired is rejected after those still waiting', async () => {
    await runKernel(async (m) => {
      const { time } = m.providers;
      const controller = new AbortController();
      const order: string[] = [];
      const sleep = (name: string, ms: number): Promise<number> =>
        time.sleep(ms, controller.signal).then(
          () => order.push(`${name} fired`),
          () => order.push(name),
        );
      const first = sleep('a', 1);
      sleep('b', 100);
      sleep('c', 100);
      await first;
      sleep('d', 100);
      assert.equal(getEventListeners(controller.signal, 'abort').length, 1);
      controller.abort();
      await time.sleep(1);
      assert.deepEqual(order, ['a fired', 'b', 'c', 'd']);
    });
  });

  it('a listener that stops propagation stops the sleeps added after it, as it would their own listeners', async () => {
    await runKernel(async (m) => {
      const { time } = m.providers;
      const controller = new AbortController();
      const before = time.sleep(100, controller.signal).then(() => 'fired', () => 'aborted');
      controller.signal.addEventListener('abort', (event) => event.stopImmediatePropagation());
      const after = time.sleep(100, controller.signal).then(() => 'fired', () => 'aborted');
      controller.abort();
      assert.deepEqual(await Promise.all([before, after]), ['aborted', 'fired']);
    });
  });

  it('an already aborted signal rejects at once and schedules nothing', async () => {
    await runKernel(async (m) => {
      const reason = new Error('stop');
      const signal = AbortSignal.abort(reason);
      await assert.rejects(m.providers.time.sleep(10, signal), reason);
      assert.equal(m.machine.pendingEvents, 0);
      assert.equal(getEventListeners(signal, 'abort').length, 0);
    });
  });

  it('sleeps on one signal share one listener, and the last to fire takes it off', async () => {
    await runKernel(async (m) => {
      const { time } = m.providers;
      const signal = new AbortController().signal;
      const sleeps = Array.from({ length: 50 }, (_, i) => time.sleep(1 + i, signal));
      assert.equal(getEventListeners(signal, 'abort').length, 1);
      await sleeps[48];
      assert.equal(getEventListeners(signal, 'abort').length, 1);
      await sleeps[49];
      assert.equal(getEventListeners(signal, 'abort').length, 0);
    });
  });

  it('a signal whose sleeps fired can be used again, and then aborts its new sleeps', async () => {
    const h = await runKernel(async (m) => {
      const { time } = m.providers;
      const controller = new AbortController();
      await time.sleep(1, controller.signal);
      await Promise.all([time.sleep(1, controller.signal), time.sleep(2, controller.signal)]);
      const again = time.sleep(1000, controller.signal);
      controller.abort();
      await assert.rejects(again, { name: 'AbortError' });
      assert.equal(m.machine.pendingEvents, 0);
    });
    assert.equal(h.world.nowMs(), 3);
  });

  it('keeps no signal alive once its sleeps fired (Node holds a composite signal while it has a listener)', async () => {
    const gc = gcFunction();
    let composite: WeakRef<AbortSignal> | null = null;
    await runKernel(async (m) => {
      const shutdown = new AbortController();
      const sleepOnComposite = async (): Promise<void> => {
        const signal = AbortSignal.any([shutdown.signal]);
        composite = new WeakRef(signal);
        await m.providers.time.sleep(1, signal);
      };
      await sleepOnComposite();
    });
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    assert.equal(composite!.deref(), undefined);
  });
});

/** The engine's garbage collector, for tests that check that nothing is kept alive. */
function gcFunction(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}
