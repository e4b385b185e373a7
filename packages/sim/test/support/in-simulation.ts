// Runs test code as if inside a simulation: core's assertion and buggify entry points record into
// `sim`'s store and draw from its generator, exactly as during an iteration.
import { installInstrumentation, uninstallInstrumentation } from '@moonpool/core';
import { AssertionStore } from '@moonpool/explorer';
import { BuggifyState } from '../../src/chaos/buggify.js';
import { simulationInstrumentation } from '../../src/engine/instrumentation.js';
import { SimRng } from '../../src/kernel/rng.js';

export interface TestSimulation {
  readonly rng: SimRng;
  readonly assertions: AssertionStore;
  readonly buggify: BuggifyState;
}

export function newSimulation(seed: bigint | number = 1, buggify = new BuggifyState()): TestSimulation {
  return { rng: new SimRng(seed), assertions: new AssertionStore(), buggify };
}

export function withSimulation<T>(sim: TestSimulation, body: () => T): T {
  const instrumentation = simulationInstrumentation(sim.assertions, sim.buggify, sim.rng);
  installInstrumentation(instrumentation);
  try {
    return body();
  } finally {
    uninstallInstrumentation(instrumentation);
  }
}
