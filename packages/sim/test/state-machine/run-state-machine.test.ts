// The state-machine form outside exploration: how runStateMachine steps a machine.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SimRng } from '../../src/kernel/rng.js';
import type { MachineRandom, StateMachine } from '../../src/state-machine/machine.js';
import { runStateMachine } from '../../src/state-machine/run-state-machine.js';
import { SimulationBuilder } from '../../src/index.js';

interface Walk {
  position: number;
  visited: number[];
}

/** A random walk of `n` steps whose state is plain data; it needs only `random()` (a bare generator will do). */
function walk(n: number): StateMachine<Walk, MachineRandom> {
  return {
    init: () => ({ position: 0, visited: [] }),
    step(state, random) {
      state.position += random.random() < 0.5 ? -1 : 1;
      state.visited.push(state.position);
      return state.visited.length < n;
    },
  };
}

describe('runStateMachine', () => {
  it('runs init, then steps until one returns false, and counts them', () => {
    const rng = new SimRng(5);
    const { state, steps } = runStateMachine(walk(7), rng);
    assert.equal(steps, 7);
    assert.equal(state.visited.length, 7);
    assert.equal(rng.totalCalls, 7);
    assert.deepEqual(runStateMachine(walk(7), new SimRng(5)).state, state);
  });

  it('rejects a step that does not return a boolean (an async step cannot be snapshotted)', () => {
    const asyncStep = {
      init: () => ({}),
      step: async () => true,
    } as unknown as StateMachine<object, MachineRandom>;
    assert.throws(() => runStateMachine(asyncStep, new SimRng(1)), /must return true or false.*a promise/);
  });

  it('runs inside a workload on the simulation generator, deterministically', async () => {
    const hashes: string[] = [];
    for (let i = 0; i < 2; i++) {
      const report = await new SimulationBuilder()
        .workload({
          name: 'walk',
          async run(ctx) {
            const { steps } = runStateMachine(walk(50), ctx.random);
            await ctx.time.sleep(steps);
          },
        })
        .setDebugSeeds([3])
        .run();
      assert.equal(report.failedRuns, 0);
      assert.equal(report.runs[0]?.simTimeMs, 50);
      hashes.push(report.runs[0]?.traceHash ?? '');
    }
    assert.equal(hashes[0], hashes[1]);
  });
});
