import type { IterationRun, SimulationReport } from '../../src/report/simulation-report.js';
import { SimulationBuilder } from '../../src/builder/builder.js';
import type { SimContext, Workload } from '../../src/engine/context.js';

/** A workload from a bare `run` function. */
export function workload(name: string, run: (ctx: SimContext) => Promise<void>): Workload {
  return { name, run };
}

/** Runs a configured builder for exactly `seeds` and returns the report. */
export function runSeeds(
  builder: SimulationBuilder,
  seeds: ReadonlyArray<bigint | number>,
): Promise<SimulationReport> {
  return builder.setDebugSeeds(seeds).run();
}

/** Runs one iteration (seed `seed`) of the builder that `configure` sets up, and returns its run. */
export async function runOnce(
  configure: (b: SimulationBuilder) => SimulationBuilder,
  seed: bigint | number = 1n,
): Promise<IterationRun> {
  const report = await runSeeds(configure(new SimulationBuilder()), [seed]);
  assert1(report.runs.length === 1, `expected one run, got ${report.runs.length}`);
  return report.runs[0] as IterationRun;
}

function assert1(cond: boolean, msg: string): void {
  if (!cond) throw new Error(msg);
}

/** Fails with the run's error when the iteration did not succeed. */
export function expectOk(run: IterationRun): void {
  if (!run.ok) throw new Error(`iteration with seed ${run.seed} failed: ${run.error ?? '?'}`);
}
