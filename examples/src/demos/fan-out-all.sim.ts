import {
  assertAlways,
  assertSometimes,
  defineSimulation,
  FanOutError,
  fanOutAll,
  SimulationBuilder,
  type SimContext,
  type Workload,
} from 'moonpool';
import { crashes, DEMO_NETWORK, DemoReplicaServer, demoClients } from './demo-replica.js';

/**
 * `fanOutAll`: read a key at every replica, and get every reply in the replicas' order — or, at the
 * first failure, a `FanOutError` `CallFailed` carrying it. One replica crashes for a while midway.
 */
class ReadEverywhere implements Workload {
  readonly name = 'reader';

  async run(ctx: SimContext): Promise<void> {
    const { transport, replicas } = demoClients(ctx);
    const ips = ctx.topology.processIps;
    for (let round = 0; round < 30; round++) {
      try {
        const replies = await fanOutAll(
          replicas.map((r) => r.get),
          { key: 'k' },
          { timeoutMs: 500 },
        );
        assertAlways(
          replies.length === ips.length && replies.every((r, i) => r.replica === ips[i]),
          'fan-out-all: every reply, in the replicas\' order',
        );
        assertSometimes(true, 'fan-out-all: every replica answered');
      } catch (err) {
        const callFailed = err instanceof FanOutError && err.kind === 'CallFailed' && err.errors.length === 1;
        assertAlways(callFailed, 'fan-out-all: a failure is CallFailed, carrying that one failure');
        assertSometimes(callFailed, 'fan-out-all: one replica down failed the whole call');
      }
      await ctx.time.sleep(100);
    }
    await transport.close();
  }
}

export const fanOutAllDemo = defineSimulation({
  name: 'fan-out-all',
  description: 'demo: fanOutAll reads at 3 replicas, one of which crashes for a while: all replies in order, or CallFailed',
  build: () =>
    new SimulationBuilder()
      .setNetworkConfiguration(DEMO_NETWORK)
      .processes(3, () => new DemoReplicaServer())
      .workload(new ReadEverywhere())
      .fault(crashes([{ atMs: 1000, count: 1, downMs: 800 }]))
      .chaosDuration(2000)
      .setIterations(10),
});
