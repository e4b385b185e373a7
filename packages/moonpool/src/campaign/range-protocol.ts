import type { RangeJobData } from './payload.js';
import type { MergeableReport } from '@moonpool/sim';

/** Parent to child: run one range job, discovering the simulation under `dir`. */
export interface RunRequest {
  kind: 'run';
  job: RangeJobData;
  dir: string;
}

/** A failing seed, as soon as the child finds it. */
export interface FailingSeed {
  index: number;
  seed: string;
  error: string;
}

/** Child to parent. */
export type RangeMessage =
  | { kind: 'rejected'; reason: string }
  | ({ kind: 'failing' } & FailingSeed)
  | { kind: 'progress'; done: number }
  | { kind: 'done'; result: MergeableReport }
  | { kind: 'error'; message: string };
