import { defineSimulation } from 'moonpool';
import { LB_EXPLORE_NETWORK, loadBalanceSimulation } from './lb-simulation.js';

/**
 * `load-balance-buggy` with rarer partitions and the default network chaos, where a random seed
 * seldom doubles an increment. Timelines branch where something new happens (a fallback, a
 * backoff, a MaybeDelivered...), and the children replay those moments with other faults.
 */
export const loadBalanceExplore = defineSimulation({
  name: 'load-balance-explore',
  description: 'load-balance-buggy with rarer partitions, explored: timelines branching at fallbacks and MaybeDelivered find the double increment',
  expectFailure: true,
  build: () =>
    loadBalanceSimulation({ retryMaybeDelivered: true, network: LB_EXPLORE_NETWORK, partitionPauseMs: [1500, 4000] })
      .enableExploration({ maxDepth: 4, timelinesPerSplit: 4, globalEnergy: 100 })
      .setIterations(2),
});
