import type { Snapshotting } from './machine.js';

/** Where a machine run starts instead of `init`: a restored state and the steps it had taken. */
export interface MachineResume {
  readonly state: unknown;
  readonly steps: number;
  /** The run had ended there: no step is left to take. */
  readonly finished: boolean;
}

/**
 * What the explorer plugs into the state-machine runner for one timeline: it counts the machine runs of
 * the iteration, may start one of them from a snapshot (`begin`), and may take snapshots at step
 * boundaries. It may throw from any of the three to end a run it no longer needs (a prefix pass).
 */
export interface MachineDirector {
  /** A machine run begins: null to start from `init`, or where to resume it. */
  begin(machine: Snapshotting<unknown>): MachineResume | null;
  /** Before each step (`steps` taken so far). */
  boundary(machine: Snapshotting<unknown>, state: unknown, steps: number): void;
  /** After the last step (or at once when `begin` resumed a finished run). */
  end(machine: Snapshotting<unknown>, state: unknown, steps: number): void;
}

// One iteration runs at a time on a thread: one module-level slot, like the active world.
let director: MachineDirector | null = null;

export function machineDirector(): MachineDirector | null {
  return director;
}

/** Plugs `d` in for the timeline about to run (null: unplug). */
export function setMachineDirector(d: MachineDirector | null): void {
  director = d;
}
