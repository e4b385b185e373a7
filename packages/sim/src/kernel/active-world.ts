import { SimulationError } from '@moonpool/core';
import type { SimWorld } from './world.js';

// The world whose iteration is running on this thread. JavaScript is single-threaded, so one
// module-level slot plays the role of a thread-local: `simRandom*` draw from its generator.
let active: SimWorld | null = null;

export function activeWorld(): SimWorld | null {
  return active;
}

/** Marks `world` as this thread's running world; a second concurrent simulation is an error. */
export function enterWorld(world: SimWorld): void {
  if (active !== null && active !== world) {
    throw new SimulationError(
      'another simulation is already running in this thread: run simulations one after another',
    );
  }
  active = world;
}

export function exitWorld(world: SimWorld): void {
  if (active === world) active = null;
}
