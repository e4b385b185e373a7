import {
  assertAlways,
  assertSometimes,
  defineSimulation,
  fanOutAllPartial,
  ReplyError,
  SimulationBuilder,
  type SimContext,
  type Workload,
} from 'moonpool';
import { crashes, DEMO_NETWORK, DemoReplicaServer, demoClients } from './demo-replica.js';

/**
 * `fanOutAllPartial`: read at every replica and get every outcome, in the replicas' order, as
 * `Promise.allSettled` gives them — replies from the replicas up, errors from those down. It never
 * fails for a failed call. Two of four replicas crash for a while.
 */
class ReadAllOutcomes implements Workload {
  readonly name = 'reader';

  async run(ctx: SimContext): Promise<void> {
    const { transport, replicas } = demoClients(ctx);
    const ips = ctx.topology.processIps;
    for (let round = 0; round < 30; round++) {
      const outcomes = await fanOutAllPartial(
        replicas.map((r) => r.get),
        { key: 'k' },
        { timeoutMs: 500 },
      );
      assertAlways(outcomes.length === ips.length, 'fan-out-all-partial: one outcome per replica');
      assertAlways(
        outcomes.every((o, i) => (o.status === 'fulfilled' ? o.value.replica === ips[i] : o.reason instanceof ReplyError)),
        'fan-out-all-partial: each outcome is its replica\'s reply or a transport error',
      );
      const answered = outcomes.filter((o) => o.status === 'fulfilled').length;
      assertSometimes(answered === ips.length, 'fan-out-all-partial: every replica answered');
      assertSometimes(answered > 0 && answered < ips.length, 'fan-out-all-partial: replies and errors together');
      await ctx.time.sleep(100);
    }
    await transport.close();
  }
}

export const fanOutAllPartialDemo = defineSimulation({
  name: 'fan-out-all-partial',
  description: 'demo: fanOutAllPartial reads at 4 replicas while 2 crash: every outcome, in order, replies and errors together',
  build: () =>
    new SimulationBuilder()
      .setNetworkConfiguration(DEMO_NETWORK)
      .processes(4, () => new DemoReplicaServer())
      .workload(new ReadAllOutcomes())
      .fault(crashes([{ atMs: 1000, count: 2, downMs: 1000 }]))
      .chaosDuration(2500)
      .setIterations(10),
});
