import {
  describeViolations,
  formatReport,
  reportSucceeded,
  type SimulationBuilder,
  type SimulationReport,
} from '@moonpool/sim';
import { reproduceCommand } from '../cli/reproduce.js';
import { isSimulationDefinition, type SimulationDefinition } from '../define-simulation.js';

/** How `runSimulationTest` runs the simulation: the simulation's own settings unless overridden here. */
export interface SimulationTestOptions {
  /** Overrides the simulation's iteration count. */
  iterations?: number;
  /** Runs exactly these seeds (ignoring `iterations`): pin a seed that once failed. */
  seeds?: ReadonlyArray<bigint | number>;
  /** Also fail when a sometimes-style assertion was never satisfied (off: coverage is statistical). */
  failOnCoverageViolations?: boolean;
}

/** Thrown by runSimulationTest when the simulation failed; carries the whole report. */
export class SimulationTestError extends Error {
  /** `'SimulationTestError'`, as test runners print it. */
  override readonly name = 'SimulationTestError';
  /** The whole report of the failed run: every seed, failing or not, and the assertions. */
  readonly report: SimulationReport;

  constructor(message: string, report: SimulationReport) {
    super(message);
    this.report = report;
  }
}

/** Failing seeds listed in the message beyond which it is cut (the error's report has them all). */
const MAX_SEEDS_SHOWN = 10;

/**
 * Runs a simulation inside any test runner: resolves to the report when it passed, throws a
 * SimulationTestError naming the failing seeds and how to reproduce each one when it did not.
 */
export async function runSimulationTest(
  simulation: SimulationDefinition | SimulationBuilder,
  options: SimulationTestOptions = {},
): Promise<SimulationReport> {
  const definition = isSimulationDefinition(simulation) ? simulation : null;
  const builder = definition?.build() ?? (simulation as SimulationBuilder);
  if (options.seeds !== undefined && options.seeds.length > 0) builder.setDebugSeeds(options.seeds);
  else if (options.iterations !== undefined) builder.setIterations(options.iterations);
  const report = await builder.run();
  const coverageFails =
    options.failOnCoverageViolations === true && report.coverageViolations.length > 0;
  if (reportSucceeded(report) && !coverageFails) return report;
  throw new SimulationTestError(failureMessage(report, definition !== null), report);
}

function failureMessage(report: SimulationReport, isDefinition: boolean): string {
  const seeds = report.seedsFailing;
  const problems = [
    seeds.length > 0 ? `${seeds.length} of ${report.iterations} seeds failed` : '',
    report.alwaysViolations.length > 0
      ? `always-violations: ${describeViolations(report.alwaysViolations, report.assertions).join('; ')}`
      : '',
    report.coverageViolations.length > 0
      ? `coverage violations: ${describeViolations(report.coverageViolations, report.assertions).join('; ')}`
      : '',
  ].filter((p) => p !== '');
  const lines = [`simulation '${report.name}' failed: ${problems.join(', ')}`];
  if (seeds.length > 0) {
    const shown = seeds.slice(0, MAX_SEEDS_SHOWN);
    const more = seeds.length > shown.length ? ` … and ${seeds.length - shown.length} more` : '';
    lines.push(`Failing seeds: ${shown.join(', ')}${more}`);
    lines.push(
      isDefinition
        ? 'Reproduce a failing seed with:'
        : 'Reproduce a failing seed by pinning it on the builder (or pass { seeds: [seed] }):',
    );
    for (const seed of shown) {
      lines.push(
        `  ${isDefinition ? reproduceCommand(report.name, seed) : `.setDebugSeeds([${seed}n])`}`,
      );
    }
  }
  // The replay lines are above: the report need not repeat them.
  lines.push('', formatReport(report, { replayHint: false }));
  return lines.join('\n');
}
