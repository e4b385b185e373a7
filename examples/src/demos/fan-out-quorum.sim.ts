import {
  assertAlways,
  assertSometimes,
  defineSimulation,
  FanOutError,
  fanOutQuorum,
  SimulationBuilder,
  type SimContext,
  type Workload,
} from 'moonpool';
import { crashes, DEMO_NETWORK, DemoReplicaServer, demoClients } from './demo-replica.js';

/**
 * `fanOutQuorum`: write to 5 replicas and return once 3 acknowledged, in the order they came. Two
 * replicas crash for a while (a quorum is still reached), later three (it cannot be: `QuorumNotMet`
 * as soon as the third failure comes, without waiting for the other calls).
 */
class QuorumWrites implements Workload {
  readonly name = 'writer';

  async run(ctx: SimContext): Promise<void> {
    const { transport, replicas } = demoClients(ctx);
    const writers = replicas.map((r) => r.put);
    for (let round = 0; round < 40; round++) {
      try {
        const acks = await fanOutQuorum(writers, { key: 'k', value: `v${round}` }, 3, { timeoutMs: 500 });
        const distinct = new Set(acks.map((a) => a.replica)).size;
        assertAlways(acks.length === 3 && distinct === 3, 'fan-out-quorum: 3 acknowledgements from 3 replicas');
        assertSometimes(true, 'fan-out-quorum: a write reached its quorum');
      } catch (err) {
        const notMet = err instanceof FanOutError && err.kind === 'QuorumNotMet';
        // 5 calls, 3 needed: decided at the third failure, carrying the three.
        assertAlways(notMet && err.errors.length === 3, 'fan-out-quorum: QuorumNotMet at the third failure');
        assertSometimes(notMet, 'fan-out-quorum: QuorumNotMet with 3 replicas down');
      }
      await ctx.time.sleep(100);
    }
    await transport.close();
  }
}

export const fanOutQuorumDemo = defineSimulation({
  name: 'fan-out-quorum',
  description: 'demo: fanOutQuorum writes, 3 of 5, while 2 and then 3 replicas are down: quorum reached, then QuorumNotMet',
  build: () =>
    new SimulationBuilder()
      .setNetworkConfiguration(DEMO_NETWORK)
      .processes(5, () => new DemoReplicaServer())
      .workload(new QuorumWrites())
      .fault(
        crashes([
          { atMs: 800, count: 2, downMs: 1000 },
          { atMs: 2500, count: 3, downMs: 800 },
        ]),
      )
      .chaosDuration(3500)
      .setIterations(10),
});
