import { pathToFileURL } from 'node:url';
import { describeError } from '@moonpool/core';
import type { BugRecipe } from '@moonpool/explorer';
import {
  type ExplorationStatus,
  IndexSelectionError,
  RecipeNotReachedError,
  reportSucceeded,
  type SimulationReport,
  type TraceSummary,
} from '@moonpool/sim';
import type { RunOverrides } from './args.js';
import type { DiscoveredSimulation } from './discover.js';
import { CliError } from './errors.js';
import { traceOptions } from './trace-run.js';

/** What running one simulation produced. */
export interface Outcome {
  name: string;
  report: SimulationReport;
  /** The simulation demonstrates a bug: finding a failing seed is the expected result. */
  expectFailure: boolean;
  /** Set when the simulation threw while building or running: it then has no iterations. */
  error?: string;
  /** The timeline replayed (`--recipe`): its failure is reproduced by the same recipe, not by a seed. */
  recipe?: BugRecipe;
  /** What `--trace` wrote. */
  trace?: TraceSummary;
}

/**
 * Builds and runs one simulation; a throw becomes a failed outcome so the others still run. A
 * recipe whose steps the timeline never reaches is a usage error (CliError): the run asked for
 * does not exist.
 */
export async function runSimulation(
  sim: DiscoveredSimulation,
  overrides: RunOverrides,
  onProgress?: (status: ExplorationStatus) => void,
  signal?: AbortSignal,
): Promise<Outcome> {
  const name = sim.definition.name;
  const started = performance.now();
  try {
    const builder = sim.definition.build().setWorkerModule(pathToFileURL(sim.file), sim.exportName);
    if (overrides.seeds.length > 0) builder.setDebugSeeds(overrides.seeds);
    if (overrides.iterations !== undefined) builder.setIterations(overrides.iterations);
    if (overrides.baseSeed !== undefined) builder.setBaseSeed(overrides.baseSeed);
    if (overrides.recipe !== undefined) builder.replayRecipe(overrides.recipe);
    if (overrides.checkDeterminism) builder.checkDeterminism();
    const selection = overrides.selection;
    if (selection?.kind === 'shard') builder.setShard(selection.index, selection.count);
    else if (selection?.kind === 'range') builder.setIndexRange(selection.from, selection.to);
    if (overrides.recordMultiverse === true) builder.recordMultiverseMap();
    if (onProgress !== undefined) builder.onExplorationProgress(onProgress);
    if (signal !== undefined) builder.setAbortSignal(signal);
    builder.setStallTimeout(overrides.stallTimeoutSeconds * 1000);
    let trace: TraceSummary | undefined;
    if (overrides.trace !== undefined) builder.trace(traceOptions(overrides.trace, (s) => (trace = s)));
    const report = await builder.run();
    const outcome: Outcome = { name, report, expectFailure: sim.definition.expectFailure };
    if (trace !== undefined) outcome.trace = trace;
    if (overrides.recipe !== undefined) outcome.recipe = overrides.recipe;
    return outcome;
  } catch (err) {
    if (err instanceof RecipeNotReachedError) throw new CliError(`--recipe: ${err.message}`);
    if (err instanceof IndexSelectionError) throw new CliError(`${name}: ${err.message}`);
    return {
      name,
      expectFailure: sim.definition.expectFailure,
      report: emptyReport(name, performance.now() - started),
      error: describeError(err),
    };
  }
}

export function outcomeSucceeded(outcome: Outcome): boolean {
  if (outcome.error !== undefined) return false;
  // A nondeterministic simulation fails even when it declares a failure expected: that is not its bug.
  if (diverged(outcome.report)) return false;
  return reportSucceeded(outcome.report) !== outcome.expectFailure;
}

/** Whether the determinism check found a seed whose re-run differed. */
export function diverged(report: SimulationReport): boolean {
  return report.runs.some((r) => r.failure?.kind === 'nondeterminism');
}

/** A report with no iterations, so a simulation that threw still has the JSON shape of the others. */
export function emptyReport(name: string, totalWallMs: number): SimulationReport {
  return {
    name,
    iterations: 0,
    successfulRuns: 0,
    failedRuns: 0,
    seedsUsed: [],
    seedsFailing: [],
    runs: [],
    assertions: [],
    alwaysViolations: [],
    coverageViolations: [],
    warnings: [],
    totalWallMs,
  };
}
