import type { TaskStatus } from '@moonpool/core';
import type { Machine } from './machine.js';

/** A task running inside the simulation: an async function, a name, and its owner. */
export class TaskRecord {
  status: TaskStatus = 'running';
  /** Someone called `join()`: failures go to them instead of failing the iteration. */
  joined = false;

  constructor(
    readonly name: string,
    readonly owner: Machine,
    readonly generation: number,
  ) {}

  describe(): string {
    return `${this.owner.ip} ${this.owner.name}/${this.name}`;
  }
}
