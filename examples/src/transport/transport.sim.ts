import { defineSimulation } from 'moonpool';
import { transportSimulation } from './transport-simulation.js';

/** RPC in all four delivery modes under network chaos and reboots: every guarantee must hold. */
export const transport = defineSimulation({
  name: 'transport',
  description: '3 echo servers, 2 clients using all four delivery modes, network chaos and reboots; must pass',
  build: () => transportSimulation({ deduplicate: true }).setIterations(20),
});

/** The same servers forgetting to deduplicate increments: a resent request is applied twice. */
export const transportBuggy = defineSimulation({
  name: 'transport-buggy',
  description: 'echo servers that apply a resent at-least-once increment again; exactly-once fails on most seeds',
  expectFailure: true,
  build: () => transportSimulation({ deduplicate: false }).setIterations(10),
});
