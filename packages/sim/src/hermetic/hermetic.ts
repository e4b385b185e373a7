import { syncBuiltinESMExports } from 'node:module';
import nodeCrypto from 'node:crypto';
import timers from 'node:timers';
import timersPromises from 'node:timers/promises';
import type { SimWorld } from '../kernel/world.js';
import { hermeticWorld, setHermeticWorld } from './active.js';
import { useSimulatedNet } from './simulated-net.js';
import {
  giveBackAdoptedTimers,
  realTimeoutPrototype,
  simClearTimeoutOrAdopted,
  simRefresh,
} from './adopted-timers.js';
import { serverResponsePrototype, simWriteHead } from './http-date.js';
import { PropertyPatches } from './property-patches.js';
import { SimDate, simHrtime, simPerformanceNow } from './sim-clock.js';
import { dnsModule, netModule, simConnect, simCreateConnection, simLookup, simPromisesLookup } from './sim-net.js';
import {
  globalCrypto,
  simGetRandomValues,
  simMathRandom,
  simRandomBytes,
  simRandomFill,
  simRandomFillSync,
  simRandomInt,
  simRandomUUID,
  simWebRandomUUID,
} from './sim-random.js';
import {
  simClearImmediate,
  simPromiseSetImmediate,
  simPromiseSetInterval,
  simPromiseSetTimeout,
  simSchedulerWait,
  simSchedulerYield,
  simSetImmediate,
  simSetInterval,
  simSetTimeout,
} from './sim-timers.js';

/**
 * Puts every stand-in in place (globals, `node:timers`, `node:timers/promises`, `node:crypto`,
 * `node:dns` lookups, `node:net` connects).
 */
function patchAll(patches: PropertyPatches): void {
  const timerFunctions = {
    setTimeout: simSetTimeout,
    clearTimeout: simClearTimeoutOrAdopted,
    setInterval: simSetInterval,
    clearInterval: simClearTimeoutOrAdopted,
    setImmediate: simSetImmediate,
    clearImmediate: simClearImmediate,
  };
  for (const [name, fn] of Object.entries(timerFunctions)) {
    patches.set(globalThis, name, fn);
    patches.set(timers, name, fn);
  }
  patches.set(timersPromises, 'setTimeout', simPromiseSetTimeout);
  patches.set(timersPromises, 'setImmediate', simPromiseSetImmediate);
  patches.set(timersPromises, 'setInterval', simPromiseSetInterval);
  patches.set(timersPromises.scheduler, 'wait', simSchedulerWait);
  patches.set(timersPromises.scheduler, 'yield', simSchedulerYield);
  patches.set(globalThis, 'Date', SimDate);
  patches.set(performance, 'now', simPerformanceNow);
  patches.set(process, 'hrtime', simHrtime);
  patches.set(Math, 'random', simMathRandom);
  patches.set(nodeCrypto, 'randomBytes', simRandomBytes);
  patches.set(nodeCrypto, 'randomFillSync', simRandomFillSync);
  patches.set(nodeCrypto, 'randomFill', simRandomFill);
  patches.set(nodeCrypto, 'randomInt', simRandomInt);
  patches.set(nodeCrypto, 'randomUUID', simRandomUUID);
  // node:crypto's getRandomValues calls the global crypto object's.
  patches.set(globalCrypto, 'getRandomValues', simGetRandomValues);
  patches.set(globalCrypto, 'randomUUID', simWebRandomUUID);
  patches.set(serverResponsePrototype, 'writeHead', simWriteHead);
  patches.set(realTimeoutPrototype, 'refresh', simRefresh);
  patches.set(dnsModule, 'lookup', simLookup);
  patches.set(dnsModule.promises, 'lookup', simPromisesLookup);
  patches.set(netModule, 'connect', simConnect);
  patches.set(netModule, 'createConnection', simCreateConnection);
}

let holders = 0;
const patches = new PropertyPatches();

/**
 * Installs hermetic mode's stand-ins for Node's clocks, randomness and timers until the returned
 * function is called (nested holds share one installation). Outside an iteration, and in code that
 * runs while the executor has handed the thread to real macrotasks, each stand-in behaves as the real
 * function. Re-binding ESM named imports of built-ins costs about 70 µs, so a run holds it once
 * rather than every iteration.
 */
export function holdHermetic(): () => void {
  if (holders++ === 0) {
    try {
      patchAll(patches);
    } catch (err) {
      patches.restore();
      holders--;
      throw err;
    }
    syncBuiltinESMExports();
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--holders > 0) return;
    giveBackAdoptedTimers();
    patches.restore();
    syncBuiltinESMExports();
  };
}

/**
 * Makes `world` the iteration the stand-ins serve (installing them if no run holds them) until the
 * returned function is called. Tasks of different machines then start in events of their own, so
 * the kernel always knows which machine's code is running.
 */
export function enterHermetic(world: SimWorld): () => void {
  const release = holdHermetic();
  world.separateMachineStarts = true;
  setHermeticWorld(world);
  return () => {
    if (hermeticWorld() === world) {
      setHermeticWorld(null);
      useSimulatedNet(null);
    }
    release();
  };
}
