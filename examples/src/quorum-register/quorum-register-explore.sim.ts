import { defineSimulation, NetworkConfiguration, StorageConfiguration } from 'moonpool';
import { registerSimulation } from './register-simulation.js';

/**
 * `quorum-register-buggy` (a read quorum of 2 of 5) in a quiet world: a fast local network without
 * chaos, a fast disk, no reboots, a 1 s chaos phase. What is left is the replicas' buggified disk
 * stalls (`register.replica.disk_stall`: now and then a commit waits 10–100 ms, its replica falling
 * behind meanwhile), and a random seed meets a stale read about once in 50: it needs two replicas
 * behind at once and a read hearing from both first. Timelines branch where something new happens,
 * among them a read beginning while one, then two replicas lag behind the newest acknowledged write;
 * children replayed from there with other draws reach the stale read far more often (about one
 * timeline in five is a bug).
 */
export const quorumRegisterExplore = defineSimulation({
  name: 'quorum-register-explore',
  description: 'quorum-register-buggy in a quiet world, explored: timelines branching where replicas lag find the stale read',
  expectFailure: true,
  build: () =>
    registerSimulation({
      register: { readQuorum: 2 },
      network: NetworkConfiguration.fastLocal(),
      disk: StorageConfiguration.fastLocal(),
      attrition: false,
      chaosMs: 1_000,
    })
      .enableExploration({ maxDepth: 4, timelinesPerSplit: 4, globalEnergy: 100 })
      .setIterations(2),
});
