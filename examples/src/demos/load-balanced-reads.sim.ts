import {
  Alternatives,
  assertAlways,
  assertSometimes,
  AtMostOnce,
  defineSimulation,
  Distance,
  loadBalance,
  QueueModel,
  SimulationBuilder,
  type SimContext,
  type Workload,
} from 'moonpool';
import { DEMO_NETWORK, DemoReplicaServer, demoClients } from './demo-replica.js';

/** The third replica (10.0.1.3) takes 40 ms per read; the other two 1 ms. */
const SLOW = '10.0.1.3';

/**
 * Reads spread over three equal replicas (one tier, `SameDc`) by the queue model: four concurrent
 * loops share one `QueueModel`, which counts the requests out to each replica (smoothed over
 * about a second) and sends each read to the least loaded. The slow replica holds its reads
 * longer, so it looks busier and gets fewer of them.
 */
class ReadLoops implements Workload {
  readonly name = 'reader';

  async run(ctx: SimContext): Promise<void> {
    const { transport, replicas } = demoClients(ctx);
    const reads = Alternatives.of(replicas.map((r) => ({ target: r.get, distance: Distance.SameDc })));
    const model = new QueueModel(transport.providers.time);
    const served = new Map<string, number>(ctx.topology.processIps.map((ip) => [ip, 0]));
    const loop = async (): Promise<void> => {
      for (let i = 0; i < 50; i++) {
        const { replica } = await loadBalance(transport, reads, { key: 'k' }, AtMostOnce.False, model);
        served.set(replica, (served.get(replica) ?? 0) + 1);
        await ctx.time.sleep(ctx.random.randomRange(0, 5));
      }
    };
    await Promise.all([loop(), loop(), loop(), loop()]);
    await transport.close();

    const counts = [...served.values()];
    const slow = served.get(SLOW) ?? 0;
    const fast = counts.filter((_, i) => ctx.topology.processIps[i] !== SLOW);
    assertAlways(counts.reduce((a, b) => a + b, 0) === 200, 'load-balanced-reads: every read answered');
    assertAlways(fast.every((n) => n > slow), 'load-balanced-reads: the slow replica served the fewest reads');
    assertAlways(fast.every((n) => n >= 40), 'load-balanced-reads: reads spread over both fast replicas');
    assertSometimes(slow > 0, 'load-balanced-reads: the slow replica still served some reads');
  }
}

export const loadBalancedReads = defineSimulation({
  name: 'load-balanced-reads',
  description: 'demo: 200 reads over 3 equal replicas, one slow, spread by loadBalance and its QueueModel',
  build: () =>
    new SimulationBuilder()
      .setNetworkConfiguration(DEMO_NETWORK)
      .processes(3, () => new DemoReplicaServer((ip) => (ip === SLOW ? 40 : 1)))
      .workload(new ReadLoops())
      .setIterations(10),
});
