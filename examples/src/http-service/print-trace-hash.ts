// Runs one seed of `http-service` in a fresh process and prints its trace hash and the real timers
// (`setTimeout`/`setInterval`, even unref'd ones) the run created, for the determinism test to
// compare with the same seed run elsewhere. It never calls process.exit: the process must end on its
// own, which it cannot while node:http holds a real timer.
import { createHook } from 'node:async_hooks';
import { httpServiceSimulation } from './http-service.sim.js';

const seed = BigInt(process.argv[2] ?? '1');
let realTimers = 0;
const hook = createHook({
  init(_id, type) {
    if (type === 'Timeout') realTimers++;
  },
}).enable();
const report = await httpServiceSimulation().setDebugSeeds([seed]).run();
hook.disable();
const run = report.runs[0];
const line = { seed: String(seed), ok: run?.ok, traceHash: run?.traceHash, events: run?.events, realTimers };
process.stdout.write(`${JSON.stringify(line)}\n`);
