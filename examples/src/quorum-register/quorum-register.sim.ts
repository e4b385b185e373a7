import { defineSimulation } from 'moonpool';
import { registerSimulation } from './register-simulation.js';

/** The replicated register with majority quorums (3 of 5) under chaos and reboots: must pass. */
export const quorumRegister = defineSimulation({
  name: 'quorum-register',
  description: '5 register replicas (ABD over fanOutQuorum, 3 of 5), 2 clients, network chaos, crashes; linearizable; must pass',
  build: () => registerSimulation().setIterations(20),
});

/** The same register reading from 2 replicas of 5: a read quorum can miss every replica a write reached. */
export const quorumRegisterBuggy = defineSimulation({
  name: 'quorum-register-buggy',
  description: 'the register with a read quorum of 2 of 5 (no overlap with write quorums); stale reads are caught',
  expectFailure: true,
  build: () => registerSimulation({ register: { readQuorum: 2 } }).setIterations(20),
});
