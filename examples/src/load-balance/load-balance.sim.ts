import { defineSimulation } from 'moonpool';
import { loadBalanceSimulation } from './lb-simulation.js';

/** Load-balanced reads and increments under partitions, reboots and dropped connections. */
export const loadBalanceSim = defineSimulation({
  name: 'load-balance',
  description:
    '5 replicas at three distances, 2 clients reading (AtMostOnce.False) and incrementing (AtMostOnce.True) through loadBalance under partitions and reboots; must pass',
  build: () => loadBalanceSimulation({ retryMaybeDelivered: false }).setIterations(20),
});

/** A client that sends an increment again after MaybeDelivered: it may run twice. */
export const loadBalanceBuggy = defineSimulation({
  name: 'load-balance-buggy',
  description: 'a client retrying an AtMostOnce.True increment that ended in MaybeDelivered; executes it twice on some seeds',
  expectFailure: true,
  build: () => loadBalanceSimulation({ retryMaybeDelivered: true }).setIterations(20),
});
