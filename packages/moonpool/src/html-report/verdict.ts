import type { SimulationJson } from './input.js';

/**
 * Whether the simulation passed, read from its JSON form: the command's own rule (`outcomeSucceeded`)
 * — no error, no nondeterminism, and a failure found exactly when one is expected.
 */
export function simulationPassed(sim: SimulationJson): boolean {
  if (sim.error !== undefined) return false;
  if (simulationDiverged(sim)) return false;
  const clean =
    sim.failedRuns === 0 && sim.alwaysViolations.length === 0 && (sim.exploration?.bugsFound ?? 0) === 0;
  return clean !== (sim.expectFailure === true);
}

/** A seed whose two runs (`--check-determinism`) differed. */
export function simulationDiverged(sim: SimulationJson): boolean {
  return sim.runs.some((r) => r.failure?.kind === 'nondeterminism');
}

/** One line saying why the verdict is what it is. */
export function verdictReason(sim: SimulationJson): string {
  if (sim.error !== undefined) return 'the simulation threw before finishing';
  if (simulationDiverged(sim)) return 'NONDETERMINISTIC: a seed run twice gave two traces';
  // Passed, flipped for a simulation that expects a failure: whether it found none.
  const clean = simulationPassed(sim) !== (sim.expectFailure === true);
  if (sim.expectFailure === true) {
    return clean ? 'expected bug NOT found' : 'demonstrates a bug: found as expected';
  }
  return clean ? 'no failing seed, always-violation or bug' : 'failing seeds, always-violations or bugs found';
}
