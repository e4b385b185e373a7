import { type Attrition, SimulationBuilder } from 'moonpool';
import { checkKv } from './kv-invariant.js';
import type { Durability } from './kv-model.js';
import { KvServer, type OpenStore } from './kv-server.js';
import { KvWorkload } from './kv-workload.js';

/** Length of the chaos phase: reboots and network faults happen during it. */
export const KV_CHAOS_MS = 20_000;

export interface KvSimulationOptions {
  readonly openStore: OpenStore;
  readonly durability: Durability;
  readonly attrition: Attrition;
  /** Draw a network configuration per seed (partitions, clogs, …) instead of the default one. */
  readonly randomNetwork: boolean;
  /** Pause between two operations of a client, half-open range in ms. */
  readonly thinkMs: readonly [number, number];
}

/**
 * Three KV servers (keys partitioned by hash, no replication) and four clients over the simulated
 * network, with attrition rebooting one server at a time during a 20 s chaos phase. The clients
 * keep going 5 s past it, so reads also happen after every server is back and faults stopped.
 */
export function kvSimulation(options: KvSimulationOptions): SimulationBuilder {
  const { openStore, durability, attrition, thinkMs } = options;
  const builder = new SimulationBuilder()
    .processes(3, () => new KvServer(openStore))
    .workloads(4, (i) => new KvWorkload(i, { durability, durationMs: KV_CHAOS_MS + 5_000, thinkMs }))
    .invariantFn('kv reads are possible and keys stay on their owner', checkKv)
    .attrition(attrition)
    .chaosDuration(KV_CHAOS_MS);
  return options.randomNetwork ? builder.randomNetwork() : builder;
}
