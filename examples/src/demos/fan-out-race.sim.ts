import {
  assertAlways,
  assertSometimes,
  defineSimulation,
  FanOutError,
  fanOutRace,
  SimulationBuilder,
  type SimContext,
  type Workload,
} from 'moonpool';
import { crashes, DEMO_NETWORK, DemoReplicaServer, demoClients } from './demo-replica.js';

/** 10.0.1.1 answers in about 1 ms, 10.0.1.2 in 20, 10.0.1.3 in 40. */
const DELAYS: Readonly<Record<string, number>> = { '10.0.1.1': 1, '10.0.1.2': 20, '10.0.1.3': 40 };

/**
 * `fanOutRace`: read at every replica and take the first reply (the others are given up). The
 * fastest replica usually wins; while it is down another does; when all three are down the race
 * fails with `AllFailed`, carrying every failure.
 */
class RacingReads implements Workload {
  readonly name = 'reader';

  async run(ctx: SimContext): Promise<void> {
    const { transport, replicas } = demoClients(ctx);
    for (let round = 0; round < 40; round++) {
      try {
        const { replica } = await fanOutRace(
          replicas.map((r) => r.get),
          { key: 'k' },
          { timeoutMs: 500 },
        );
        assertAlways(replica in DELAYS, 'fan-out-race: the winner is one of the replicas');
        assertSometimes(replica === '10.0.1.1', 'fan-out-race: the fastest replica won');
        assertSometimes(replica !== '10.0.1.1', 'fan-out-race: a slower replica won');
      } catch (err) {
        const allFailed = err instanceof FanOutError && err.kind === 'AllFailed' && err.errors.length === 3;
        assertAlways(allFailed, 'fan-out-race: a race fails only when every call failed');
        assertSometimes(allFailed, 'fan-out-race: AllFailed with every replica down');
      }
      await ctx.time.sleep(100);
    }
    await transport.close();
  }
}

export const fanOutRaceDemo = defineSimulation({
  name: 'fan-out-race',
  description: 'demo: fanOutRace reads at 3 replicas of different speeds while some crash: the fastest up wins, or AllFailed',
  build: () =>
    new SimulationBuilder()
      .setNetworkConfiguration(DEMO_NETWORK)
      .processes(3, () => new DemoReplicaServer((ip) => DELAYS[ip] ?? 1))
      .workload(new RacingReads())
      .fault(
        crashes([
          { atMs: 800, count: 1, downMs: 1000 },
          { atMs: 2500, count: 3, downMs: 800 },
        ]),
      )
      .chaosDuration(3500)
      .setIterations(10),
});
