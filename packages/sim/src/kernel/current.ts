import { SimulationError } from '@moonpool/core';
import type { AssertionStore } from '../assertions/store.js';
import type { BuggifyState } from '../chaos/buggify.js';
import type { SimRng } from './rng.js';

/**
 * What the free functions (`simRandom*`, `buggify`, the assertions) reach while a simulation runs.
 * JavaScript is single-threaded, so one module-level slot per thread plays the role of Rust's
 * thread-locals; outside a simulation it is empty and those functions are production-safe no-ops.
 */
export interface ActiveSimulation {
  readonly rng: SimRng;
  readonly assertions: AssertionStore;
  readonly buggify: BuggifyState;
}

let active: ActiveSimulation | null = null;

export function currentSimulation(): ActiveSimulation | null {
  return active;
}

/** Marks `sim` as the running simulation of this thread; a second concurrent one is an error. */
export function enterSimulation(sim: ActiveSimulation): void {
  if (active !== null && active !== sim) {
    throw new SimulationError(
      'another simulation is already running in this thread: run simulations one after another',
    );
  }
  active = sim;
}

export function exitSimulation(sim: ActiveSimulation): void {
  if (active === sim) active = null;
}
