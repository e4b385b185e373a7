import { defineSimulation } from 'moonpool';
import { TRANSPORT_EXPLORE_NETWORK, transportSimulation } from './transport-simulation.js';

/**
 * `transport-buggy` on a quieter network (the default chaos with bit flips and random closes a few
 * times more frequent, no partitions or clogs), where a random seed meets the bug about once in 30.
 * Timelines branch where something new happens (a reconnect, a MaybeDelivered, a corrupt packet
 * caught...), so the children replay those moments with other faults: about one in five of them
 * applies a resent increment twice.
 */
export const transportExplore = defineSimulation({
  name: 'transport-explore',
  description: 'transport-buggy on a quieter network, explored: timelines branching at faults find the double increment',
  expectFailure: true,
  build: () =>
    transportSimulation({ deduplicate: false }, TRANSPORT_EXPLORE_NETWORK)
      .enableExploration({ maxDepth: 4, timelinesPerSplit: 4, globalEnergy: 100 })
      .setIterations(2),
});
