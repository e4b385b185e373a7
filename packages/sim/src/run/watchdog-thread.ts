import { writeSync } from 'node:fs';
import { Session } from 'node:inspector';
import { parentPort, workerData } from 'node:worker_threads';
import { eventKindName } from '../kernel/event-kind.js';
import type { ProgressSnapshot } from '../kernel/progress-cell.js';
import { EVENTS, ITERATION, progressInts, RUNNING } from '../kernel/progress-layout.js';
import { ticksToMs } from '../kernel/ticks.js';
import type { WatchdogInit, WatchdogMessage } from './watchdog.js';

/**
 * The watchdog thread: polls the progress cells of the main thread and of the exploration workers
 * it is told about and, when one of them has processed no event of an iteration for the stall
 * timeout, names it on stderr and ends the process with exit code 1. It runs on its own thread
 * because the stuck thread may be in code that never yields.
 */
const { buffer, stallMs } = workerData as WatchdogInit;

class Watched {
  private readonly ints: Int32Array;
  private iteration: number;
  private events: number;
  private lastChange = performance.now();

  constructor(
    readonly buffer: SharedArrayBuffer,
    readonly thread: string | null,
  ) {
    this.ints = progressInts(buffer);
    this.iteration = this.ints[ITERATION] as number;
    this.events = this.ints[EVENTS] as number;
  }

  /** Whether an iteration has processed no event for `stallMs`. */
  stalled(): boolean {
    const iteration = this.ints[ITERATION] as number;
    const events = this.ints[EVENTS] as number;
    if (iteration !== this.iteration || events !== this.events || this.ints[RUNNING] !== 1) {
      this.iteration = iteration;
      this.events = events;
      this.lastChange = performance.now();
      return false;
    }
    return performance.now() - this.lastChange >= stallMs;
  }
}

const watched = new Map<number, Watched>([[0, new Watched(buffer, null)]]);
parentPort?.on('message', (message: WatchdogMessage) => {
  if (message.kind === 'watch') watched.set(message.id, new Watched(message.buffer, message.thread));
  else watched.delete(message.id);
});

setInterval(
  () => {
    for (const w of watched.values()) if (w.stalled()) void stall(w);
  },
  Math.min(1000, Math.max(10, stallMs / 4)),
);

let stalled = false;

async function stall(w: Watched): Promise<void> {
  if (stalled) return;
  stalled = true;
  try {
    // Loaded only now: the cell's labels need the explorer, which polling the numbers does not.
    const { ProgressCell } = await import('../kernel/progress-cell.js');
    writeSync(2, `\n${stallMessage(new ProgressCell(w.buffer).snapshot(), stallMs, w.thread)}\n`);
  } finally {
    endProcess();
  }
}

/** What is stuck, where (`thread`: null for the thread that runs the simulation), and how to run it again. */
export function stallMessage(s: ProgressSnapshot, ms: number, thread: string | null = null): string {
  const [name = '', how = 'seed', value = ''] = s.label.split('\t');
  const what = how === 'recipe' ? `recipe '${value}'` : `seed ${value}`;
  const flag = how === 'recipe' ? `--recipe '${value}'` : `--seed ${value}`;
  const last =
    s.lastKind === 0
      ? 'none yet'
      : `${eventKindName(s.lastKind)} ${s.lastMachine === null ? 'of the simulator' : `on ${s.lastMachine}`}`;
  return [
    `moonpool: watchdog: ${name} made no progress for ${ms / 1000} s in ${what}` +
      `${thread === null ? '' : ` (on ${thread})`}: simulated code keeps the thread busy`,
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
