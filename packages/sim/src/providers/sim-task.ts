import type { TaskHandle, TaskProvider } from '@moonpool/core';
import { EventKind } from '../kernel/event-kind.js';
import type { Machine } from '../kernel/machine.js';
import { never, spawnTask } from '../kernel/tasks.js';
import type { SimWorld } from '../kernel/world.js';

/** Simulated tasks for one machine. */
export class SimTaskProvider implements TaskProvider {
  constructor(
    private readonly world: SimWorld,
    private readonly owner: Machine,
  ) {}

  spawn<T>(name: string, fn: () => Promise<T>): TaskHandle<T> {
    return spawnTask(this.world, this.owner, name, fn);
  }

  /** Runs every other task that is ready at this instant, then continues (an event at the same time). */
  yieldNow(): Promise<void> {
    if (!this.owner.alive) return never();
    return new Promise<void>((resolve) => {
      this.world.schedule(0, EventKind.Yield, this.owner, resolve);
    });
  }

  /**
   * Waits for something the simulator does not manage (real I/O in a test harness). While any such
   * wait is open, simulated time stands still and the executor polls with macrotasks. Its result
   * must not depend on timing, or the run stops being reproducible.
   */
  external<T>(work: Promise<T>): Promise<T> {
    const world = this.world;
    const owner = this.owner;
    const generation = owner.generation;
    world.foreignWaits++;
    // Like every other wait, it never resumes a killed incarnation (or an ended iteration).
    // It resumes from a real macrotask: the code that follows is this machine's simulated code again.
    const resume = (): boolean => {
      world.foreignWaits--;
      if (!owner.isLive(generation)) return false;
      world.current = owner;
      world.simulating = true;
      return true;
    };
    return work.then(
      (value) => (resume() ? value : never<T>()),
      (err: unknown) => (resume() ? Promise.reject(err) : never<T>()),
    );
  }
}
