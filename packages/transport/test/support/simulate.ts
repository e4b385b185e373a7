// Runs transport code inside the simulator: server processes and one client workload, on a quiet
// network unless told otherwise. Fails the test with the iteration's error when an iteration fails.
import assert from 'node:assert/strict';
import {
  NetworkConfiguration,
  type SimContext,
  SimulationBuilder,
  type SimulationReport,
} from '@moonpool/sim';

export interface Scenario {
  /** Number of server processes (default 1). */
  readonly servers?: number;
  /** Each server's life (it is killed at the end of the iteration). */
  readonly server: (ctx: SimContext) => Promise<void>;
  /** The client workload: its end is the end of the scenario. */
  readonly client: (ctx: SimContext, serverIps: readonly string[]) => Promise<void>;
  readonly seeds?: readonly number[];
  readonly network?: NetworkConfiguration;
  /** Set up more (fault injectors, chaos phase...). */
  readonly configure?: (builder: SimulationBuilder) => SimulationBuilder;
}

export async function simulate(scenario: Scenario): Promise<SimulationReport> {
  let builder = new SimulationBuilder()
    .setNetworkConfiguration(scenario.network ?? NetworkConfiguration.fastLocal())
    .processes(scenario.servers ?? 1, () => ({ name: 'server', run: scenario.server }))
    .workload({ name: 'client', run: (ctx) => scenario.client(ctx, ctx.topology.processIps) })
    .setDebugSeeds((scenario.seeds ?? [1]).map(BigInt));
  if (scenario.configure) builder = scenario.configure(builder);
  const report = await builder.run();
  const failed = report.runs.find((r) => !r.ok);
  assert.equal(failed, undefined, `seed ${String(failed?.seed)} failed: ${failed?.error ?? ''}`);
  return report;
}

/** The port every test server listens on. */
export const PORT = 4500;
