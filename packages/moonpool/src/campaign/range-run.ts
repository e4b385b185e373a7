// How a campaign runs a range of iterations and merges the ranges' reports: through the mergeable
// reports of `sim run --out` (toMergeableReport, mergeReports), so a campaign's merged report is the
// report `sim run` gives for the same seeds.
import { pathToFileURL } from 'node:url';
import {
  type IterationRun,
  type MergeableReport,
  type SimulationBuilder,
  toMergeableReport,
} from '@moonpool/sim';
import type { DiscoveredSimulation } from '../cli/discover.js';
import type { CampaignSettings } from './payload.js';

/** The run options a campaign decides: its seed count, base seed and determinism check. */
type RunSettings = Pick<CampaignSettings, 'seeds' | 'baseSeed' | 'checkDeterminism' | 'stallTimeoutSeconds'>;

/** The simulation's builder set up for iteration indices [from, to) of the campaign's run. */
function rangeBuilder(sim: DiscoveredSimulation, s: RunSettings, from: number, to: number): SimulationBuilder {
  const builder = sim.definition.build().setWorkerModule(pathToFileURL(sim.file), sim.exportName);
  builder.setIterations(s.seeds);
  if (s.baseSeed !== null) builder.setBaseSeed(BigInt(s.baseSeed));
  if (s.checkDeterminism) builder.checkDeterminism();
  builder.setStallTimeout(s.stallTimeoutSeconds * 1000);
  return builder.setIndexRange(from, to);
}

/**
 * The configuration fingerprint of the campaign's run as the ranges report it: computed by the
 * command that starts the campaign, and again by each worker before it runs a job. Null when the
 * simulation's iterations cannot be counted (it sets a time limit or pinned seeds).
 */
export function campaignFingerprint(sim: DiscoveredSimulation, s: RunSettings): string | null {
  return rangeBuilder(sim, s, 0, s.seeds).fingerprint();
}

/** Runs iteration indices [from, to) of the campaign's run; `onIteration` sees each with its index. */
export async function runRange(
  sim: DiscoveredSimulation,
  s: RunSettings,
  from: number,
  to: number,
  onIteration: (run: IterationRun, index: number) => void,
): Promise<MergeableReport> {
  const builder = rangeBuilder(sim, s, from, to);
  builder.onIterationDone((run, i) => onIteration(run, from + i));
  const report = await builder.run();
  return toMergeableReport([{ report, expectFailure: sim.definition.expectFailure }]);
}
