import { Worker } from 'node:worker_threads';
import { describeError, SimulationError } from '@moonpool/core';
import type { AssertionStore, Recipe, StoreDelta } from '@moonpool/explorer';
import {
  recipeAt,
  type RunBatch,
  toBatchRecipes,
  type WorkerInit,
  type WorkerReply,
  type WorkerSource,
  unpackResults,
} from './protocol.js';
import type { ThreadWatch, WatchThread } from '../kernel/progress-cell.js';
import type { FunctionCoverage } from '../coverage/function-coverage.js';
import type { ModuleSelection } from '../coverage/module-filter.js';
import type { MachineStart } from './machine-start.js';
import type { TimelineResult, TimelineReplayer } from './timeline-replayer.js';

const WORKER_URL = new URL('./worker.js', import.meta.url);

/** One worker thread; it answers messages in the order they were sent. */
class PoolWorker {
  private readonly waiting: { resolve: (r: WorkerReply) => void; reject: (e: Error) => void }[] = [];
  private failure: Error | null = null;
  constructor(private readonly worker: Worker) {
    worker.on('message', (reply: WorkerReply) => {
      const next = this.waiting.shift();
      if (next === undefined) return;
      if (reply.kind === 'error') next.reject(new SimulationError(`exploration worker failed: ${reply.message}`));
      else next.resolve(reply);
    });
    // The stack says where: a worker that fails while loading has nothing else to show.
    worker.on('error', (err: Error) => this.fail(new SimulationError(`exploration worker crashed: ${describeError(err)}`)));
    worker.on('exit', (code) => this.fail(new SimulationError(`exploration worker exited (code ${code})`)));
  }

  /** The next reply (the first one is the worker's `ready`). */
  reply(): Promise<WorkerReply> {
    if (this.failure !== null) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  send(message: RunBatch): Promise<WorkerReply> {
    const reply = this.reply();
    if (this.failure === null) this.worker.postMessage(message);
    return reply;
  }

  terminate(): Promise<number> {
    this.failure ??= new SimulationError('exploration worker terminated');
    return this.worker.terminate();
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const w of this.waiting.splice(0)) w.reject(this.failure);
  }
}

/**
 * Runs a batch's timelines on the main thread and on worker threads at once. All take the next
 * timeline from one shared counter, so none waits for another to hand out work, and a worker sends
 * its results once per batch; they are placed by index, whoever ran what.
 */
export class ExplorationPool {
  /** The base version the workers hold: every batch goes to every worker, so they hold the same. */
  private sentVersion = -1;

  private constructor(
    private readonly workers: PoolWorker[],
    private readonly next: Int32Array,
    private readonly watches: ThreadWatch[],
    /** Code coverage is collected: the workers run every timeline, the main thread none. */
    private readonly workersOnly: boolean,
  ) {}

  /**
   * `threads` executors: the main thread and `threads - 1` workers, each watched by the watchdog
   * when `watchThread` is given. With `codeCoverage`, `threads` workers that collect it, and the main
   * thread runs no timeline (its copy of the system under test was compiled before coverage began).
   */
  static async start(
    threads: number,
    source: WorkerSource,
    watchThread: WatchThread | null,
    codeCoverage?: ModuleSelection,
  ): Promise<ExplorationPool> {
    const counter = new SharedArrayBuffer(4);
    const workers: PoolWorker[] = [];
    const watches: ThreadWatch[] = [];
    const first = codeCoverage === undefined ? 1 : 0;
    try {
      for (let i = first; i < threads; i++) {
        const watch = watchThread?.(`exploration worker thread ${i + 1 - first}`);
        if (watch) watches.push(watch);
        const init: WorkerInit = {
          source,
          next: counter,
          ...(watch ? { progress: watch.buffer } : {}),
          ...(codeCoverage === undefined ? {} : { codeCoverage }),
        };
        workers.push(new PoolWorker(new Worker(WORKER_URL, { workerData: init })));
      }
      await Promise.all(workers.map((w) => w.reply()));
    } catch (err) {
      for (const watch of watches) watch.release();
      await Promise.all(workers.map((w) => w.terminate()));
      throw err;
    }
    return new ExplorationPool(workers, new Int32Array(counter), watches, codeCoverage !== undefined);
  }

  /** Threads running timelines, the main thread included unless code coverage is collected. */
  get threads(): number {
    return this.workers.length + (this.workersOnly ? 0 : 1);
  }

  async run(
    local: TimelineReplayer,
    rootSeed: bigint,
    ledger: AssertionStore,
    recipes: readonly Recipe[],
    start: MachineStart | null,
    stopRequested: () => boolean,
  ): Promise<{ results: (TimelineResult | undefined)[]; sums: StoreDelta[]; code: FunctionCoverage[][] }> {
    // The start state changes only on discoveries: most batches send none, the others what changed.
    local.syncWith(ledger);
    const base = ledger.baseVersion === this.sentVersion ? undefined : ledger.exportBaseSince(this.sentVersion);
    this.sentVersion = ledger.baseVersion;
    const batch = toBatchRecipes(recipes);
    const results = new Array<TimelineResult | undefined>(recipes.length);
    Atomics.store(this.next, 0, 0);
    // The same message to every worker: the base change, when there is one, goes to all of them.
    const message = { rootSeed, recipes: batch, start, ...(base === undefined ? {} : { base }) };
    const replies = Promise.all(this.workers.map((worker) => worker.send(message)));
    // A worker may fail while this thread runs its share: handled by the await below, not unhandled.
    replies.catch(() => undefined);
    const first = (): number => (this.workersOnly ? recipes.length : Atomics.add(this.next, 0, 1));
    for (let i = first(); i < recipes.length; i = Atomics.add(this.next, 0, 1)) {
      results[i] = (await local.run(rootSeed, recipeAt(batch, i), start)).result;
      // A stop: no thread begins another timeline; those under way finish and are reported.
      if (stopRequested()) Atomics.store(this.next, 0, recipes.length);
    }
    const sums = [local.takeSum()];
    const code: FunctionCoverage[][] = [];
    for (const reply of await untilReplied(replies, () => {
      if (stopRequested()) Atomics.store(this.next, 0, recipes.length);
    })) {
      if (reply.kind !== 'results') throw new SimulationError('exploration worker sent an unexpected reply');
      unpackResults(reply.results, results);
      sums.push(reply.sum);
      if (reply.code !== undefined) code.push(reply.code);
    }
    return { results, sums, code };
  }

  async close(): Promise<void> {
    // Unwatched first: a worker ended in the middle of a timeline must not look stuck.
    for (const watch of this.watches) watch.release();
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** Awaits the workers' replies, calling `poll` every 50 ms meanwhile (a stop must reach them). */
async function untilReplied(replies: Promise<WorkerReply[]>, poll: () => void): Promise<WorkerReply[]> {
  const timer = realSetInterval(poll, 50);
  try {
    return await replies;
  } finally {
    realClearInterval(timer);
  }
}

// Taken at load, before hermetic mode can replace them.
const realSetInterval = setInterval;
const realClearInterval = clearInterval;
