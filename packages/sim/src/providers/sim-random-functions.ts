import { SimulationError } from '@moonpool/core';
import { currentSimulation } from '../kernel/current.js';
import type { SimRng } from '../kernel/rng.js';

function rng(): SimRng {
  const sim = currentSimulation();
  if (sim === null) throw new SimulationError('simRandom* used outside a running simulation');
  return sim.rng;
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
