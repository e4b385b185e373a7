// SimTimeProvider.callAfter: the timer of sleep(ms, signal), called off without an AbortSignal.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
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
