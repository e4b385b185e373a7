import { defineSimulation } from 'moonpool';
import { kvSimulation } from './kv-simulation.js';
import { MemoryKvStore } from './kv-store.js';

/** In-memory KV servers under reboots and network chaos: reads must match the model, which
 *  allows a reboot to lose everything its server held. */
export const kv = defineSimulation({
  name: 'kv',
  description: '3 in-memory KV servers, 4 retrying clients, attrition and network chaos; must pass',
  build: () =>
    kvSimulation({
      openStore: () => Promise.resolve(new MemoryKvStore()),
      durability: 'volatile',
      randomNetwork: true,
      thinkMs: [10, 80],
      attrition: {
        maxDead: 1,
        probGraceful: 1,
        probCrash: 1,
        probWipe: 0.5,
        recoveryDelayMs: [200, 2000],
        gracePeriodMs: [100, 1000],
      },
    }).setIterations(50),
});
