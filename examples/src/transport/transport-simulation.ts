import { type NetworkConfiguration, networkConfiguration, SimulationBuilder } from 'moonpool';
import { DeliveryChecker } from './delivery-checker.js';
import { DeliveryWorkload } from './delivery-workload.js';
import type { EchoHandlerOptions } from './echo-handler.js';
import { EchoServer } from './echo-server.js';

/** Length of the chaos phase: reboots and network faults happen during it. */
export const TRANSPORT_CHAOS_MS = 8_000;

/**
 * The default chaos with every fault of SPEC §4.5 turned up so that each strikes several times per
 * iteration: automatic partitions and clogs (off by default), more bit flips and random closes.
 */
export const TRANSPORT_NETWORK: NetworkConfiguration = networkConfiguration({
  chaos: {
    partitionProbability: 0.003,
    partitionDuration: { minMs: 200, maxMs: 2000 },
    clogProbability: 0.01,
    bitFlipProbability: 0.004,
    randomCloseProbability: 0.002,
    randomCloseCooldownMs: 500,
  },
});

/** The default chaos with bit flips 5 and random closes 10 times as frequent: duplicates are rare. */
export const TRANSPORT_EXPLORE_NETWORK: NetworkConfiguration = networkConfiguration({
  chaos: { bitFlipProbability: 0.0005, randomCloseProbability: 0.0001 },
});

/**
 * Three echo servers and two clients of two request loops each over a chaotic network, with
 * attrition rebooting one server at a time (graceful, crash or crash-and-wipe) during an 8 s chaos
 * phase; the clients go on 2 s past it. The delivery checker is the invariant, run after every
 * simulation event.
 */
export function transportSimulation(
  server: EchoHandlerOptions,
  network: NetworkConfiguration = TRANSPORT_NETWORK,
): SimulationBuilder {
  return new SimulationBuilder()
    .setNetworkConfiguration(network)
    .processes(3, () => new EchoServer(server))
    .workloads(2, () => new DeliveryWorkload({ lanes: 2, durationMs: TRANSPORT_CHAOS_MS + 2_000 }))
    .invariantFn('delivery guarantees hold', DeliveryChecker.checkState)
    .attrition({
      maxDead: 1,
      probGraceful: 1,
      probCrash: 1,
      probWipe: 0.5,
      recoveryDelayMs: [200, 3000],
      gracePeriodMs: [100, 1000],
    })
    .chaosDuration(TRANSPORT_CHAOS_MS);
}
