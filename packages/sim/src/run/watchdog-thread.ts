import { writeSync } from 'node:fs';
import { Session } from 'node:inspector';
import { workerData } from 'node:worker_threads';
import { eventKindName } from '../kernel/event-kind.js';
import { ProgressCell, type ProgressSnapshot } from '../kernel/progress-cell.js';
import { ticksToMs } from '../kernel/ticks.js';
import type { WatchdogInit } from './watchdog.js';

/**
 * The watchdog thread: polls the main thread's progress cell and, when an iteration has processed no
 * event for the stall timeout, names it on stderr and ends the process with exit code 1. It runs on
 * its own thread because the main thread may be stuck in code that never yields.
 */
const { buffer, stallMs } = workerData as WatchdogInit;
const cell = new ProgressCell(buffer);
let last = cell.snapshot();
let lastChange = performance.now();

setInterval(
  () => {
    const now = cell.snapshot();
    if (now.iteration !== last.iteration || now.events !== last.events || !now.running) {
      last = now;
      lastChange = performance.now();
      return;
    }
    if (performance.now() - lastChange >= stallMs) stall(now);
  },
  Math.min(1000, Math.max(10, stallMs / 4)),
);

function stall(s: ProgressSnapshot): void {
  writeSync(2, `\n${stallMessage(s, stallMs)}\n`);
  endProcess();
}

/** What is stuck, where, and how to run it again. */
export function stallMessage(s: ProgressSnapshot, ms: number): string {
  const [name = '', how = 'seed', value = ''] = s.label.split('\t');
  const what = how === 'recipe' ? `recipe '${value}'` : `seed ${value}`;
  const flag = how === 'recipe' ? `--recipe '${value}'` : `--seed ${value}`;
  const last =
    s.lastKind === 0
      ? 'none yet'
      : `${eventKindName(s.lastKind)} ${s.lastMachine === null ? 'of the simulator' : `on ${s.lastMachine}`}`;
  return [
    `moonpool: watchdog: ${name} made no progress for ${ms / 1000} s in ${what}: simulated code keeps the thread busy`,
    '  (a synchronous loop, or an endless chain of promises that never waits on the simulator)',
    `  simulated time: ${ticksToMs(s.timeTicks).toFixed(3)} ms; events processed in this iteration: ${s.events}`,
    `  last event: ${last}`,
    `  run it again: moonpool sim run ${name} ${flag}` +
      (how === 'seed' ? ` (in code: builder.setDebugSeeds([${value}n]))` : ` (in code: builder.replayRecipe('${value}'))`),
    '  exiting with code 1',
  ].join('\n');
}

/**
 * Exits the process with code 1 from this thread. `process.exit` here would end only this thread,
 * so the main thread is made to exit through the inspector, which interrupts even a busy loop.
 * Stderr is closed first, or Node would print a note about the inspector session on the way out.
 */
function endProcess(): void {
  const session = new Session();
  try {
    session.connectToMainThread();
    session.post('Runtime.evaluate', {
      expression:
        "(() => { try { process.getBuiltinModule('node:fs').closeSync(2); } catch {} process.reallyExit(1); })()",
    });
  } catch {
    process.kill(process.pid, 'SIGKILL');
  }
  // The inspector should have ended the process by now: if not, nothing else will.
  setTimeout(() => process.kill(process.pid, 'SIGKILL'), 2000).unref();
}
