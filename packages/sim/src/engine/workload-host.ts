import { describeError } from '@moonpool/core';
import { IterationFailedError } from '../kernel/failure.js';
import type { Machine } from '../kernel/machine.js';
import { SETTLED, spawnTask } from '../kernel/tasks.js';
import type { SimWorld } from '../kernel/world.js';
import type { SimContext, Workload } from './context.js';

/** A workload instance with its machine and context for the iteration. */
export class WorkloadHost {
  constructor(
    readonly machine: Machine,
    readonly workload: Workload,
    readonly ctx: SimContext,
    private readonly world: SimWorld,
  ) {}

  /** Runs one phase of the workload as a task of its machine; failures name the workload and phase. */
  phase(name: 'setup' | 'run' | 'check'): Promise<void> {
    const workload = this.workload;
    const fn = workload[name];
    if (fn === undefined) return SETTLED; // an absent phase: nothing to wait for
    const task = spawnTask(this.world, this.machine, name, async () => {
      try {
        await fn.call(workload, this.ctx);
      } catch (err) {
        throw new IterationFailedError({
          kind: 'workload-threw',
          workload: workload.name,
          phase: name,
          error: describeError(err),
        });
      }
    });
    return task.join();
  }
}
