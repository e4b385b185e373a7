import { Worker } from 'node:worker_threads';
import { describeError, SimulationError } from '@moonpool/core';
import type { AssertionStore, Recipe, RecipeStep, StoreDelta } from '@moonpool/explorer';
import {
  type BatchRecipes,
  COUNTER_SLOTS,
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
  /** It has loaded the simulation: batches are sent to it (until then the others run them). */
  ready = false;
  /** Settles when it has loaded the simulation, or failed to. */
  readonly started: Promise<void>;
  /** What it was last sent (see `RunBatch`): the base version, the recipes' prefix and the start. */
  version = -1;
  prefix: Recipe | null = null;
  start: MachineStart | null | undefined = undefined;
  private readonly waiting: { resolve: (r: WorkerReply) => void; reject: (e: Error) => void }[] = [];
  private failure: Error | null = null;
  constructor(private readonly worker: Worker) {
    worker.on('message', (reply: WorkerReply) => {
      if (reply.kind === 'error') {
        // Its state is unknown after an error: it runs nothing more, and every later reply fails.
        this.fail(new SimulationError(`exploration worker failed: ${reply.message}`));
        return;
      }
      this.waiting.shift()?.resolve(reply);
    });
    // The stack says where: a worker that fails while loading has nothing else to show.
    worker.on('error', (err: Error) => this.fail(new SimulationError(`exploration worker crashed: ${describeError(err)}`)));
    worker.on('exit', (code) => this.fail(new SimulationError(`exploration worker exited (code ${code})`)));
    this.started = this.reply().then(() => {
      this.ready = true;
    });
    // Awaited by `ExplorationPool.started`; a failure also fails the next batch.
    this.started.catch(() => undefined);
  }

  /** Kept idle for a later exploration: it does not keep the process alive, and is sent everything again. */
  idle(): void {
    this.worker.unref();
    this.version = -1;
    this.prefix = null;
    this.start = undefined;
  }

  /** Taken back from idle by an exploration. */
  resume(): void {
    this.worker.ref();
  }

  /** Why it can run nothing more, or null. */
  get failed(): Error | null {
    return this.failure;
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

  /** The next reply (the first one is the worker's `ready`). */
  private reply(): Promise<WorkerReply> {
    if (this.failure !== null) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const w of this.waiting.splice(0)) w.reject(this.failure);
  }
}

/** A batch sent to the workers: its timelines are taken from counter `slot`. */
interface PostedBatch {
  readonly slot: number;
  readonly rootSeed: bigint;
  readonly recipes: BatchRecipes;
  readonly start: MachineStart | null;
  /** The ledger's base version its timelines are judged against. */
  readonly version: number;
  /** One per worker it was sent to. */
  readonly replies: Promise<WorkerReply>[];
  /** What the main thread ran of it (when it is sent ahead, before it is confirmed). */
  readonly results: (TimelineResult | undefined)[];
  readonly sums: StoreDelta[];
}

/** What a batch produced: results by index, the summed counts and code coverage of each thread. */
export interface PoolBatch {
  results: (TimelineResult | undefined)[];
  sums: StoreDelta[];
  code: FunctionCoverage[][];
}

/**
 * Runs a batch's timelines on the main thread and on worker threads at once. All take the next
 * timeline from one shared counter, so none waits for another to hand out work, and a worker sends
 * its results once per batch; they are placed by index, whoever ran what.
 *
 * The workers do not wait for the main thread between batches: with each batch they are sent the one
 * most likely to follow (the same splitpoint's next children, from the same start state) and begin it
 * as soon as they finish their share, while the main thread merges. If that batch does come next and
 * nothing was discovered meanwhile (the start state is the same), what they ran is its result: every
 * timeline is a function of its recipe, its start and the start state, whoever ran it and when.
 * Otherwise it is cancelled and its results are thrown away (work lost, never a different result).
 * A worker joins when it has loaded the simulation; the main thread does not wait for it.
 */
export class ExplorationPool {
  /** Batches sent ahead so far, those that came next (their results used) and those cancelled. */
  readonly ahead = { sent: 0, used: 0, cancelled: 0 };
  /** The batches sent ahead, in order. */
  private sentAhead: PostedBatch[] = [];
  private readonly next: Int32Array;
  /** Its workers were kept for a later exploration (`park`): closing leaves them running. */
  private parked = false;

  private constructor(
    private readonly workers: PoolWorker[],
    private readonly counters: SharedArrayBuffer,
    private readonly watches: ThreadWatch[],
    /** Code coverage is collected: the workers run every timeline, the main thread none. */
    private readonly workersOnly: boolean,
    /** The simulation its workers loaded, when they may serve a later exploration; null: they may not. */
    private readonly reuseKey: string | null,
    /** Batches sent so far, by every pool these workers served: the next one's counter slot. */
    private posted: number,
  ) {
    this.next = new Int32Array(counters);
  }

  /**
   * `threads` executors: the main thread and `threads - 1` workers, each watched by the watchdog
   * when `watchThread` is given. With `codeCoverage`, `threads` workers that collect it, and the main
   * thread runs no timeline (its copy of the system under test was compiled before coverage began):
   * then they are started before the first batch.
   */
  static async start(
    threads: number,
    source: WorkerSource,
    watchThread: WatchThread | null,
    codeCoverage?: ModuleSelection,
  ): Promise<ExplorationPool> {
    // Workers with a watchdog cell or collecting coverage are this run's alone.
    const reuseKey = codeCoverage === undefined && watchThread === null ? `${source.moduleUrl}#${source.exportName}` : null;
    const kept = unpark(reuseKey, threads - 1);
    if (kept !== null) return new ExplorationPool(kept.workers, kept.counters, [], false, reuseKey, kept.posted);
    const counters = new SharedArrayBuffer(2 * 4 * COUNTER_SLOTS);
    const workers: PoolWorker[] = [];
    const watches: ThreadWatch[] = [];
    const first = codeCoverage === undefined ? 1 : 0;
    for (let i = first; i < threads; i++) {
      const watch = watchThread?.(`exploration worker thread ${i + 1 - first}`);
      if (watch) watches.push(watch);
      const init: WorkerInit = {
        source,
        next: counters,
        ...(watch ? { progress: watch.buffer } : {}),
        ...(codeCoverage === undefined ? {} : { codeCoverage }),
      };
      workers.push(new PoolWorker(new Worker(WORKER_URL, { workerData: init })));
    }
    const pool = new ExplorationPool(workers, counters, watches, codeCoverage !== undefined, reuseKey, 0);
    if (codeCoverage !== undefined) {
      try {
        await pool.started();
      } catch (err) {
        await pool.close();
        throw err;
      }
    }
    return pool;
  }

  /** Threads running timelines, the main thread included unless code coverage is collected. */
  get threads(): number {
    return this.workers.length + (this.workersOnly ? 0 : 1);
  }

  /** Waits until every worker has loaded the simulation; rejects with the first failure. */
  async started(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.started));
  }

  /**
   * Runs `recipes` from `ledger`'s base (`start`: where their state machine resumes); `upcoming`: the
   * batches likely to follow, sent ahead (see the class).
   */
  async run(
    local: TimelineReplayer,
    rootSeed: bigint,
    ledger: AssertionStore,
    recipes: readonly Recipe[],
    start: MachineStart | null,
    stopRequested: () => boolean,
    upcoming: () => readonly (readonly Recipe[])[] = () => [],
  ): Promise<PoolBatch> {
    for (const w of this.workers) if (w.failed !== null) throw w.failed;
    // The start state changes only on discoveries: most batches send none, the others what changed.
    local.syncWith(ledger);
    const version = ledger.baseVersion;
    const batch = toBatchRecipes(recipes);
    const sent = this.sentAhead.shift();
    let posted: PostedBatch;
    if (sent !== undefined && sameBatch(sent, rootSeed, batch, start, version)) {
      posted = sent;
      this.ahead.used++;
    } else {
      if (sent !== undefined) this.cancel(sent);
      posted = this.post(rootSeed, batch, start, ledger);
    }
    this.sendAhead(rootSeed, upcoming, start, ledger, stopRequested);
    const { slot, replies, results, sums } = posted;
    const stop = (): void => {
      if (!stopRequested()) return;
      // A stop: no thread begins another timeline; those under way finish and are reported.
      Atomics.store(this.next, slot, recipes.length);
      this.cancelAhead();
    };
    const first = (): number => (this.workersOnly ? recipes.length : Atomics.add(this.next, slot, 1));
    for (let i = first(); i < recipes.length; i = Atomics.add(this.next, slot, 1)) {
      results[i] = (await local.run(rootSeed, recipeAt(batch, i), start)).result;
      stop();
    }
    sums.push(local.takeSum());
    // A discovery will most likely change the start state: the batches sent ahead are of no use then.
    if (results.some(discovered)) this.cancelAhead();
    await this.runAhead(local, posted, stop);
    const code: FunctionCoverage[][] = [];
    for (const reply of await untilReplied(Promise.all(replies), stop)) {
      if (reply.kind !== 'results') throw new SimulationError('exploration worker sent an unexpected reply');
      unpackResults(reply.results, results);
      sums.push(reply.sum);
      if (reply.code !== undefined) code.push(reply.code);
    }
    if (results.some(discovered)) this.cancelAhead();
    return { results, sums, code };
  }

  /**
   * After an exploration that ended normally: keeps its workers, idle, for the next exploration of the
   * same simulation in this process (see `parkedWorkers`), unless they may not serve another one.
   */
  park(): void {
    if (this.reuseKey === null || this.workers.some((w) => w.failed !== null)) return;
    this.cancelAhead();
    for (const w of this.workers) w.idle();
    unpark(null, 0);
    parkedWorkers = { key: this.reuseKey, workers: this.workers, counters: this.counters, posted: this.posted };
    this.parked = true;
  }

  /** Ends its workers, unless they were parked. */
  async close(): Promise<void> {
    // Unwatched first: a worker ended in the middle of a timeline must not look stuck.
    for (const watch of this.watches) watch.release();
    if (!this.parked) await Promise.all(this.workers.map((w) => w.terminate()));
  }

  /**
   * Keeps the batches sent ahead those of `upcoming` (from the same start state): those already sent
   * stay, the others are cancelled and the missing ones sent. Not with code coverage: what a worker
   * reports covered must come from the timelines merged.
   */
  private sendAhead(
    rootSeed: bigint,
    upcoming: () => readonly (readonly Recipe[])[],
    start: MachineStart | null,
    ledger: AssertionStore,
    stopRequested: () => boolean,
  ): void {
    const wanted =
      this.workersOnly || stopRequested() ? [] : upcoming().filter((b) => b.length > 0).map(toBatchRecipes);
    let kept = 0;
    while (
      kept < this.sentAhead.length &&
      kept < wanted.length &&
      sameBatch(this.sentAhead[kept] as PostedBatch, rootSeed, wanted[kept] as BatchRecipes, start, ledger.baseVersion)
    ) {
      kept++;
    }
    for (const stale of this.sentAhead.splice(kept)) this.cancel(stale);
    for (const recipes of wanted.slice(kept)) {
      this.sentAhead.push(this.post(rootSeed, recipes, start, ledger));
      this.ahead.sent++;
    }
  }

  /**
   * While the workers finish their share of `awaited`, this thread begins the batches sent ahead (a
   * thread that waits is put to sleep, and waking it up costs more than a timeline on a busy machine).
   */
  private async runAhead(local: TimelineReplayer, awaited: PostedBatch, stop: () => void): Promise<void> {
    const finished = (): boolean => Atomics.load(this.next, COUNTER_SLOTS + awaited.slot) >= awaited.replies.length;
    for (const ahead of this.sentAhead) {
      const { slot, recipes, rootSeed, start, results } = ahead;
      let ran = false;
      for (let i: number; !finished() && (i = Atomics.add(this.next, slot, 1)) < recipes.lasts.length; ) {
        results[i] = (await local.run(rootSeed, recipeAt(recipes, i), start)).result;
        ran = true;
        stop();
      }
      if (ran) ahead.sums.push(local.takeSum());
      if (finished()) return;
    }
  }

  /**
   * Sends a batch to every worker that has loaded the simulation. Its counter slot is free: a worker
   * runs its batches in order, and the batches sent since the last one awaited are at most five (two
   * sent ahead and cancelled, the next one awaited, two sent ahead), fewer than the slots.
   */
  private post(
    rootSeed: bigint,
    recipes: BatchRecipes,
    start: MachineStart | null,
    ledger: AssertionStore,
  ): PostedBatch {
    const slot = this.posted++ % COUNTER_SLOTS;
    Atomics.store(this.next, slot, 0);
    Atomics.store(this.next, COUNTER_SLOTS + slot, 0);
    const version = ledger.baseVersion;
    const replies: Promise<WorkerReply>[] = [];
    for (const w of this.workers) {
      if (!w.ready || w.failed !== null) continue;
      const message: RunBatch = {
        slot,
        rootSeed,
        lasts: recipes.lasts,
        ...(w.version === version ? {} : { base: ledger.exportBaseSince(w.version) }),
        ...(w.prefix !== null && sameRecipe(w.prefix, recipes.prefix) ? {} : { prefix: recipes.prefix }),
        ...(w.start === start ? {} : { start }),
      };
      w.version = version;
      w.prefix = recipes.prefix;
      w.start = start;
      const reply = w.send(message);
      // A batch cancelled is never awaited: its failure shows in the next batch.
      reply.catch(() => undefined);
      replies.push(reply);
    }
    const results = new Array<TimelineResult | undefined>(recipes.lasts.length);
    return { slot, rootSeed, recipes, start, version, replies, results, sums: [] };
  }

  private cancelAhead(): void {
    for (const ahead of this.sentAhead.splice(0)) this.cancel(ahead);
  }

  /** No thread begins another timeline of `batch` (one sent ahead); what its workers send back is ignored. */
  private cancel(batch: PostedBatch): void {
    this.ahead.cancelled++;
    Atomics.store(this.next, batch.slot, batch.recipes.lasts.length);
  }
}

/** Workers kept by `park`: those of one simulation, with the counters they were started with. */
interface ParkedWorkers {
  readonly key: string;
  readonly workers: PoolWorker[];
  readonly counters: SharedArrayBuffer;
  readonly posted: number;
}

/**
 * The workers of the last exploration that ended normally in this process, idle: a fresh worker
 * spends its first second or so loading the simulation and compiling its hot code, which the next
 * exploration of the same simulation (a test suite's, a benchmark's) need not pay again. Only one set
 * is kept; idle workers do not keep the process alive. A timeline they run depends on nothing but
 * what each batch sends (the start state is sent whole to a worker taken back).
 */
let parkedWorkers: ParkedWorkers | null = null;

/** The parked workers if they loaded `key` and are `count`; any others are ended. */
function unpark(key: string | null, count: number): ParkedWorkers | null {
  const kept = parkedWorkers;
  parkedWorkers = null;
  if (kept === null) return null;
  if (kept.key === key && kept.workers.length === count && kept.workers.every((w) => w.failed === null)) {
    for (const w of kept.workers) w.resume();
    return kept;
  }
  for (const w of kept.workers) w.terminate().catch(() => undefined);
  return null;
}

/** Whether `posted` is the batch of `recipes` from `start`, judged against base `version`. */
function sameBatch(
  posted: PostedBatch,
  rootSeed: bigint,
  recipes: BatchRecipes,
  start: MachineStart | null,
  version: number,
): boolean {
  const { lasts } = posted.recipes;
  return (
    posted.rootSeed === rootSeed &&
    posted.start === start &&
    posted.version === version &&
    lasts.length === recipes.lasts.length &&
    lasts.every((step, k) => sameStep(step, recipes.lasts[k])) &&
    sameRecipe(posted.recipes.prefix, recipes.prefix)
  );
}

/** A timeline that discovered or created something (or warned): the start state will change. */
function discovered(result: TimelineResult | undefined): boolean {
  const news = result?.news;
  return news !== undefined && (news.discoveries.length > 0 || news.created.length > 0 || news.warnings.length > 0);
}

function sameRecipe(a: Recipe, b: Recipe): boolean {
  return a.length === b.length && a.every((step, k) => sameStep(step, b[k]));
}

function sameStep(a: RecipeStep | null | undefined, b: RecipeStep | null | undefined): boolean {
  return a === b || (a != null && b != null && a.count === b.count && a.seed === b.seed);
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
