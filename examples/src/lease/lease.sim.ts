import { defineSimulation, SimulationBuilder } from 'moonpool';
import { checkOneLeader } from './leadership-monitor.js';
import { LeaseChaosWorkload } from './lease-chaos-workload.js';
import { BUGGY_LEASE_CONFIG, LEASE_CONFIG, type LeaseConfig } from './lease-config.js';
import { LeaseNode } from './lease-node.js';

function leaseSimulation(config: LeaseConfig): SimulationBuilder {
  return new SimulationBuilder()
    .processes(3, () => new LeaseNode(config))
    .workload(new LeaseChaosWorkload())
    .invariantFn('one leader at a time', checkOneLeader)
    .setIterations(100);
}

/** Leader lease with a safety margin covering clock drift: never two leaders at once. */
export const lease = defineSimulation({
  name: 'lease',
  description: '3 nodes compete for a leader lease under reboots and store stalls; must pass',
  build: () => leaseSimulation(LEASE_CONFIG),
});

/** The same protocol ignoring clock drift: an old leader sometimes acts after a takeover. */
export const leaseBuggy = defineSimulation({
  name: 'lease-buggy',
  description: 'lease protocol whose expiry check ignores clock drift; fails on some seeds',
  expectFailure: true,
  build: () => leaseSimulation(BUGGY_LEASE_CONFIG),
});
