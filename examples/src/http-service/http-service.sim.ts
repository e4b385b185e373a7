import { defineSimulation, SimulationBuilder } from 'moonpool';
import { HttpServiceProcess } from './http-service-process.js';
import { HttpServiceWorkload } from './http-service-workload.js';
import type { ItemStoreOptions } from './item-store.js';

/** Simulated time with faults: default network chaos and server reboots. */
const CHAOS_MS = 15_000;
/** The clients go on a little after chaos ends, so the last reboot is usually seen through. */
const WORKLOAD_MS = CHAOS_MS + 5_000;

export interface HttpServiceSimulationOptions {
  readonly store?: ItemStoreOptions;
  /** Draw a network configuration per seed (partitions, clogs, …) instead of the default chaos. */
  readonly randomNetwork?: boolean;
}

/** The item service on unmodified node:http and its clients on plain `http.request`, under chaos. */
export function httpServiceSimulation(options: HttpServiceSimulationOptions = {}): SimulationBuilder {
  const builder = new SimulationBuilder()
    .processes(1, () => new HttpServiceProcess(options.store))
    .workloads(1, () => new HttpServiceWorkload({ clients: 3, durationMs: WORKLOAD_MS }))
    .chaosDuration(CHAOS_MS)
    .attrition({
      maxDead: 1,
      probGraceful: 2,
      probCrash: 1,
      probWipe: 0,
      gracePeriodMs: [500, 3000],
      recoveryDelayMs: [200, 3000],
    })
    .setIterations(30);
  return options.randomNetwork ? builder.randomNetwork() : builder;
}

export const httpService = defineSimulation({
  name: 'http-service',
  description: 'REST item service on unmodified node:http, retrying clients, network chaos and reboots; must pass',
  build: () => httpServiceSimulation(),
});

/** The same service acknowledging puts before applying them: reads after a write sometimes miss it. */
export const httpServiceBuggy = defineSimulation({
  name: 'http-service-buggy',
  description: 'the item service acknowledging puts before applying them; stale reads fail some seeds',
  expectFailure: true,
  build: () => httpServiceSimulation({ store: { acknowledgeBeforeApply: true } }).setIterations(10),
});
