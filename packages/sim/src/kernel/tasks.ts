import { describeError, type TaskHandle } from '@moonpool/core';
import { type Machine, TaskRecord } from './machine.js';
import type { SimWorld } from './world.js';

/** One settled promise for every wait that is already over and every hop of one microtask (none made per use). */
export const SETTLED: Promise<void> = Promise.resolve();

/** A promise that never settles: what a dead machine's waits become. */
export function never<T>(): Promise<T> {
  return new Promise<T>(() => {});
}

/**
 * Starts `fn` as a task of `owner`. It begins on the next microtask (after the spawner continues), or,
 * when the world separates machines' starts and the spawner is another machine, once the spawner's
 * drain is over; and only if its owner is still the same incarnation. A failure nobody joined fails the iteration.
 */
export function spawnTask<T>(
  world: SimWorld,
  owner: Machine,
  name: string,
  fn: () => Promise<T>,
): TaskHandle<T> {
  const record = new TaskRecord(name, owner, owner.generation);
  if (!owner.alive) return deadHandle(record);
  owner.tasks.add(record);
  const generation = owner.generation;
  const tracer = world.tracer;
  if (tracer !== null) tracer.taskSpawned(record);
  const body = tracer === null ? fn : () => tracer.runTask(record, fn);
  const start = (): Promise<T> => (owner.isLive(generation) ? body() : never<T>());
  // Another machine's code is running (or tasks already wait their turn, whose order must hold).
  const separate = world.separateMachineStarts && (world.current !== owner || world.tasksWaitingToStart > 0);
  const result = separate ? world.queueTaskStart(owner).then(start) : SETTLED.then(start);
  result.then(
    () => {
      record.status = 'done';
      if (tracer !== null) tracer.taskEnded(record);
      owner.tasks.delete(record);
      if (owner.tasks.size === 0 && owner.kind === 'workload') world.abandonSettleEventsOf(owner);
    },
    (err: unknown) => {
      record.status = 'failed';
      if (tracer !== null) tracer.taskEnded(record);
      owner.tasks.delete(record);
      if (!record.joined && owner.isLive(generation)) {
        world.fail({ kind: 'task-threw', task: name, ip: owner.ip, machine: owner.name, error: describeError(err) });
      }
    },
  );
  return {
    name,
    status: () => record.status,
    join: () => {
      record.joined = true;
      return result;
    },
  };
}

function deadHandle<T>(record: TaskRecord): TaskHandle<T> {
  return { name: record.name, status: () => record.status, join: () => never<T>() };
}
