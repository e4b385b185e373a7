import type { DiscoveredSimulation } from './discover.js';
import { CliError } from './errors.js';

/**
 * The simulations `sim run <filter>` runs: the one named exactly `filter` if it exists (so a
 * reproduce command never runs a second simulation whose name merely contains it), otherwise every
 * simulation whose name contains `filter`.
 */
export function selectSimulations(
  all: readonly DiscoveredSimulation[],
  filter: string,
): DiscoveredSimulation[] {
  const exact = all.filter((s) => s.definition.name === filter);
  if (exact.length > 0) return exact;
  const matching = all.filter((s) => s.definition.name.includes(filter));
  if (matching.length > 0) return matching;
  throw new CliError(`no simulation name contains '${filter}'. ${available(all)}`);
}

/** run-all with nothing to run is almost always a wrong --dir or a missing build. */
export function requireSome(
  all: readonly DiscoveredSimulation[],
  root: string,
): DiscoveredSimulation[] {
  if (all.length === 0) throw new CliError(`no simulations found under ${root}. ${available(all)}`);
  return [...all];
}

function available(all: readonly DiscoveredSimulation[]): string {
  if (all.length === 0) {
    return 'Simulations are the defineSimulation(...) exports of files named *.sim.js or *.sim.mjs (see --dir).';
  }
  return `Available simulations:\n${all.map((s) => `  ${s.definition.name}`).join('\n')}`;
}
