import type { Recipe, StoreState } from '@moonpool/explorer';
import type { TimelineResult } from './timeline-runner.js';

/** Where a worker thread finds the simulation: a module and one of its exports (see `setWorkerModule`). */
export interface WorkerSource {
  readonly moduleUrl: string;
  readonly exportName: string;
}

/** Main thread to worker: run these timelines of batch `batch`, each from its start state `base`. */
export interface RunJobs {
  readonly batch: number;
  readonly rootSeed: bigint;
  /** Sent with the first chunk of a batch a worker gets (it keeps it for the others). */
  readonly base?: StoreState;
  readonly jobs: readonly { readonly index: number; readonly recipe: Recipe }[];
}

/** Worker to main thread. */
export type WorkerReply =
  | { readonly kind: 'ready' }
  | { readonly kind: 'results'; readonly results: readonly { readonly index: number; readonly result: TimelineResult }[] }
  | { readonly kind: 'error'; readonly message: string };
