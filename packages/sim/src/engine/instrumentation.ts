import type { AssertionRecorder, Instrumentation } from '@moonpool/core';
import type { BuggifyState } from '../chaos/buggify.js';
import type { SimRng } from '../kernel/rng.js';

/** What a simulation installs for core's assertion and buggify entry points while it runs. */
export function simulationInstrumentation(
  assertions: AssertionRecorder,
  buggify: BuggifyState,
  rng: SimRng,
): Instrumentation {
  return { assertions, buggify: (site, probability) => buggify.fires(site, rng, probability) };
}
