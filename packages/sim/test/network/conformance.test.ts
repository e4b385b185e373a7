// Runs the network contract against (a) the simulated network, inside a SimulationBuilder iteration
// with NetworkConfiguration.fastLocal() (the server is a process, the scenario runs in a workload),
// and (b) the production NodeNetworkProvider over real loopback TCP.
import {
  type Listener,
  type NetworkProvider,
  NodeProviders,
  type Stream,
} from '@moonpool/core';
import { NetworkConfiguration } from '../../src/config/network-configuration.js';
import { SimulationBuilder } from '../../src/builder/builder.js';
import type { SimContext } from '../../src/engine/context.js';
import {
  type NetworkConformanceEnv,
  type NetworkConformanceHarness,
  networkConformance,
} from '../conformance/network-conformance.js';

/** One iteration: process 10.0.1.1 lends its network to the scenario, run by workload 10.0.0.1. */
function simulated(seed: number): () => NetworkConformanceHarness {
  return () => ({
    async run(scenario) {
      let server: SimContext | null = null;
      const report = await new SimulationBuilder()
        .setName('network-conformance')
        .setNetworkConfiguration(NetworkConfiguration.fastLocal())
        .processes(1, () => ({
          name: 'server',
          run: (ctx) => {
            server = ctx;
            return Promise.resolve();
          },
        }))
        .workload({
          name: 'client',
          async run(ctx) {
            while (server === null) await ctx.task.yieldNow();
            const s: SimContext = server;
            const env: NetworkConformanceEnv = {
              server: s.network,
              client: ctx.network,
              bindAddr: `${s.myIp}:0`,
              time: ctx.time,
            };
            await scenario(env);
          },
        })
        .setDebugSeeds([seed])
        .run();
      const run = report.runs[0];
      if (run === undefined || !run.ok) throw new Error(run?.error ?? 'no iteration ran');
    },
  });
}

/**
 * Wraps a provider so everything it opens is remembered and torn down after the scenario, even when
 * an assertion failed half-way: a leaked socket would keep the test process alive.
 */
function tracked(inner: NetworkProvider, listeners: Listener[], streams: Stream[]): NetworkProvider {
  const trackListener = (l: Listener): Listener => {
    listeners.push(l);
    return {
      localAddr: () => l.localAddr(),
      close: () => l.close(),
      accept: async () => {
        const [s, peer] = await l.accept();
        streams.push(s);
        return [s, peer];
      },
    };
  };
  return {
    bind: async (addr) => trackListener(await inner.bind(addr)),
    connect: async (addr) => {
      const s = await inner.connect(addr);
      streams.push(s);
      return s;
    },
  };
}

function onNode(): NetworkConformanceHarness {
  return {
    async run(scenario) {
      const serverSide = new NodeProviders();
      const clientSide = new NodeProviders();
      const listeners: Listener[] = [];
      const streams: Stream[] = [];
      try {
        await scenario({
          server: tracked(serverSide.network, listeners, streams),
          client: tracked(clientSide.network, listeners, streams),
          bindAddr: '127.0.0.1:0',
          time: clientSide.time,
        });
      } finally {
        for (const s of streams) s.abort();
        await Promise.all(listeners.map((l) => l.close()));
      }
    },
  };
}

networkConformance('simulation (fastLocal, seed 1)', simulated(1));
networkConformance('simulation (fastLocal, seed 77)', simulated(77));
networkConformance('node:net (loopback TCP)', onNode);
