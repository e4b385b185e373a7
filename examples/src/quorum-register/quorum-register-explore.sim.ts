import { defineSimulation, NetworkConfiguration, StorageConfiguration } from 'moonpool';
import { registerSimulation } from './register-simulation.js';

/**
 * `quorum-register-buggy` (a read quorum of 2 of 5) in a quieter world: the default network (its
 * light chaos, no partitions or clogs), a fast disk, no reboots, a 1 s chaos phase. There a random
 * seed meets a stale read about once in 20: the replicas a write has not reached yet catch up within
 * a millisecond or so. Timelines branch where something new happens, among them a read beginning
 * while one, then two replicas lag behind the newest acknowledged write; children replayed from
 * there with other draws make that read hear from the two laggards first far more often (about one
 * timeline in five is a bug).
 */
export const quorumRegisterExplore = defineSimulation({
  name: 'quorum-register-explore',
  description: 'quorum-register-buggy in a quieter world, explored: timelines branching where replicas lag find the stale read',
  expectFailure: true,
  build: () =>
    registerSimulation({
      register: { readQuorum: 2 },
      network: NetworkConfiguration.default(),
      disk: StorageConfiguration.fastLocal(),
      attrition: false,
      chaosMs: 1_000,
    })
      .enableExploration({ maxDepth: 4, timelinesPerSplit: 4, globalEnergy: 100 })
      .setIterations(2),
});
