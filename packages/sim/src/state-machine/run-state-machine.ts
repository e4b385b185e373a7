import { SimulationError } from '@moonpool/core';
import { activeWorld } from '../kernel/active-world.js';
import { SimRandomProvider } from '../providers/sim-random.js';
import type { MachineRandom, MachineRun, StateMachine } from './machine.js';
import { type MachineDirector, machineDirector } from './machine-director.js';

/**
 * Runs `machine` from `init` until a step returns false. Under exploration, when `random` is the
 * simulation's own generator (`ctx.random`), the explorer may start the run from a snapshot taken at a
 * step boundary of the parent timeline; the result is bit-identical to running it from `init`.
 */
export function runStateMachine<State, Random extends MachineRandom>(
  machine: StateMachine<State, Random>,
  random: Random,
): MachineRun<State> {
  const director = drawsFromWorld(random) ? machineDirector() : null;
  const start = director?.begin(machine) ?? null;
  const state = start === null ? machine.init(random) : (start.state as State);
  const from = start === null ? 0 : start.steps;
  const steps = start?.finished === true ? from : stepToEnd(machine, state, random, director, from);
  director?.end(machine, state, steps);
  return { state, steps };
}

/**
 * Steps `machine` from `steps` taken until a step returns false; returns the steps taken. The loop is a
 * function of its own so that V8 optimises it alone: the code around it (a director's first `begin` or
 * `end`) no longer throws the optimised loop away.
 */
function stepToEnd<State, Random extends MachineRandom>(
  machine: StateMachine<State, Random>,
  state: State,
  random: Random,
  director: MachineDirector | null,
  steps: number,
): number {
  for (;;) {
    director?.boundary(machine, state, steps);
    const more: unknown = machine.step(state, random);
    steps++;
    if (more === false) return steps;
    if (more !== true) {
      throw new SimulationError(
        `a state machine's step must return true or false (synchronously), got ${describe(more)}`,
      );
    }
  }
}

/** Whether `random` is the running simulation's generator (only then can a snapshot stand for the draws). */
function drawsFromWorld(random: MachineRandom): boolean {
  const world = activeWorld();
  return world !== null && random instanceof SimRandomProvider && random.rng === world.rng;
}

function describe(value: unknown): string {
  if (value instanceof Promise) return 'a promise (steps cannot be async)';
  return typeof value;
}
