import { Worker } from 'node:worker_threads';
import type { Recipe, StoreState } from '@moonpool/explorer';
import { SimulationError } from '@moonpool/core';
import type { RunJobs, WorkerReply, WorkerSource } from './exploration-protocol.js';
import type { TimelineResult } from './timeline-runner.js';

const WORKER_URL = new URL('./exploration-worker.js', import.meta.url);
/** Chunks per worker and batch: small enough to balance timelines of unequal length, few enough messages. */
const CHUNKS_PER_WORKER = 4;

/**
 * Worker threads running a batch's timelines. A worker that is free takes the next chunk of the
 * batch; the results come back in the batch's order, whichever worker ran what.
 */
export class ExplorationPool {
  private batches = 0;

  private constructor(private readonly workers: Worker[]) {}

  static async start(size: number, source: WorkerSource): Promise<ExplorationPool> {
    const workers: Worker[] = [];
    try {
      for (let i = 0; i < size; i++) workers.push(new Worker(WORKER_URL, { workerData: source }));
      await Promise.all(workers.map((w) => nextReply(w)));
    } catch (err) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw err;
    }
    return new ExplorationPool(workers);
  }

  get size(): number {
    return this.workers.length;
  }

  async run(rootSeed: bigint, base: StoreState, recipes: readonly Recipe[]): Promise<TimelineResult[]> {
    const chunk = Math.max(1, Math.ceil(recipes.length / (this.workers.length * CHUNKS_PER_WORKER)));
    const results: TimelineResult[] = new Array<TimelineResult>(recipes.length);
    const batch = ++this.batches;
    let next = 0;
    const work = async (worker: Worker): Promise<void> => {
      let sentBase = false;
      while (next < recipes.length) {
        const start = next;
        next = Math.min(recipes.length, next + chunk);
        const jobs = recipes.slice(start, next).map((recipe, k) => ({ index: start + k, recipe }));
        const message: RunJobs = sentBase ? { batch, rootSeed, jobs } : { batch, rootSeed, base, jobs };
        sentBase = true;
        worker.postMessage(message);
        const reply = await nextReply(worker);
        if (reply.kind !== 'results') throw new SimulationError('exploration worker sent an unexpected reply');
        for (const { index, result } of reply.results) results[index] = result;
      }
    };
    await Promise.all(this.workers.map(work));
    return results;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** The worker's next message; its error reply, crash or exit becomes a SimulationError. */
function nextReply(worker: Worker): Promise<WorkerReply> {
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    const onMessage = (reply: WorkerReply): void => {
      cleanup();
      if (reply.kind === 'error') reject(new SimulationError(`exploration worker failed: ${reply.message}`));
      else resolve(reply);
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(new SimulationError(`exploration worker crashed: ${err.message}`));
    };
    const onExit = (code: number): void => {
      cleanup();
      reject(new SimulationError(`exploration worker exited (code ${code})`));
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}
