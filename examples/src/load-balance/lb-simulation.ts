import { type NetworkConfiguration, networkConfiguration, SimulationBuilder } from 'moonpool';
import { clientPartitions } from './client-partitions.js';
import { LoadBalanceChecker } from './lb-checker.js';
import { LoadBalanceClient } from './lb-client.js';
import { REPLICA_TAGS, REPLICAS } from './lb-topology.js';
import { ReplicaServer } from './replica-server.js';

/** Length of the chaos phase: reboots, partitions and network faults happen during it. */
export const LB_CHAOS_MS = 6_000;

/** The default chaos with random connection closes more frequent (a few per iteration). */
export const LB_NETWORK: NetworkConfiguration = networkConfiguration({
  chaos: { randomCloseProbability: 0.001, randomCloseCooldownMs: 500 },
});

/** The default chaos, nothing turned up: a root seed rarely doubles an increment. */
export const LB_EXPLORE_NETWORK: NetworkConfiguration = networkConfiguration({});

export interface LoadBalanceSimulationOptions {
  /** The broken client: retries an increment that ended in `MaybeDelivered`. */
  readonly retryMaybeDelivered: boolean;
  readonly network?: NetworkConfiguration;
  /** Pause between two client partitions (ms, half-open range). */
  readonly partitionPauseMs?: readonly [number, number];
  /** Reboot replicas (attrition) during the chaos phase. */
  readonly reboots?: boolean;
}

/**
 * Five replicas on five machines in two data centres and two clients, one on the machine of replica
 * 10.0.1.1 (east: 1 replica SameMachine, 2 SameDc, 2 Remote) and one on that of 10.0.1.4 (west: 1,
 * 1, 3). Each client runs two call loops for 8 s through `loadBalance`; during a 6 s chaos phase
 * clients are cut from their closest replicas, replicas reboot (at most two down at once: graceful,
 * crash or crash and wipe) and connections drop. The `LoadBalanceChecker` is the invariant, after
 * every simulation event.
 */
export function loadBalanceSimulation(options: LoadBalanceSimulationOptions): SimulationBuilder {
  const clients = [
    { ip: '10.0.0.1', home: 0 },
    { ip: '10.0.0.2', home: 3 },
  ];
  const builder = new SimulationBuilder()
    .setNetworkConfiguration(options.network ?? LB_NETWORK)
    .processes(REPLICAS, () => new ReplicaServer())
    .tags(REPLICA_TAGS)
    .workloads(clients.length, (i) =>
      new LoadBalanceClient({
        home: (clients[i] as (typeof clients)[number]).home,
        lanes: 2,
        durationMs: LB_CHAOS_MS + 2_000,
        retryMaybeDelivered: options.retryMaybeDelivered,
      }),
    )
    .invariantFn('load balancing guarantees hold', LoadBalanceChecker.checkState)
    .fault(clientPartitions(clients, options.partitionPauseMs ?? [200, 1200]))
    .chaosDuration(LB_CHAOS_MS);
  if (options.reboots !== false) {
    builder.attrition({
      maxDead: 2,
      probGraceful: 1,
      probCrash: 1,
      probWipe: 0.5,
      recoveryDelayMs: [200, 3000],
      gracePeriodMs: [100, 1000],
    });
  }
  return builder;
}
