import { SimulationError } from '@moonpool/core';
import { activeWorld } from '../kernel/active-world.js';
import type { SimRng } from '../kernel/rng.js';

function rng(): SimRng {
  const world = activeWorld();
  if (world === null) throw new SimulationError('simRandom* used outside a running simulation');
  return world.rng;
}

/** Uniform float in [0, 1) from the running simulation's generator. */
export function simRandom(): number {
  return rng().random();
}

/** Uniform integer in [lo, hi) from the running simulation's generator. */
export function simRandomRange(lo: number, hi: number): number {
  return rng().range(lo, hi);
}

/** Uniform float in [lo, hi) from the running simulation's generator. */
export function simRandomRangeFloat(lo: number, hi: number): number {
  return rng().rangeFloat(lo, hi);
}

/** `true` with probability `p`, from the running simulation's generator. */
export function simRandomBool(p: number): boolean {
  return rng().bool(p);
}
