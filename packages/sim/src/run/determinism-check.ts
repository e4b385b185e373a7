import { AssertionStore } from '@moonpool/explorer';
import { BuggifyState } from '../chaos/buggify.js';
import type { RunShared } from '../engine/iteration.js';
import { EventRecord, firstDivergence } from '../kernel/event-record.js';
import { describeFailure, type Divergence, type IterationFailure } from '../kernel/failure.js';
import type { IterationRun } from '../report/simulation-report.js';

/** Runs one execution (a seed, or a seed and a recipe) with the state it is given. */
export type Execution = (shared: RunShared) => Promise<IterationRun>;

/** Recorded re-runs tried to find where a divergence happens: a flaky one may not recur at once. */
const RECORDED_ATTEMPTS = 4;

/**
 * Runs `execute` again on fresh state (as a reproduce command would) and compares the trace hash with
 * `first`'s. Equal: `first` is returned as it is. Different: `first` becomes a failing run whose
 * `nondeterminism` failure names where recorded re-runs first part.
 */
export async function checkDeterminism(first: IterationRun, execute: Execution): Promise<IterationRun> {
  const again = await execute(freshState());
  if (again.traceHash === first.traceHash) return first;
  const failure: IterationFailure = {
    kind: 'nondeterminism',
    hashes: [first.traceHash, again.traceHash],
    divergence: await locateDivergence(execute),
  };
  return { ...first, ok: false, failure, error: describeFailure(failure) };
}

/** Re-runs the execution with every event recorded until two runs differ, and compares those two. */
async function locateDivergence(execute: Execution): Promise<Divergence | null> {
  const runs: { hash: string; record: EventRecord }[] = [];
  for (let attempt = 0; attempt < RECORDED_ATTEMPTS; attempt++) {
    const record = new EventRecord();
    const { traceHash } = await execute({ ...freshState(), recorder: record });
    const earlier = runs.find((r) => r.hash !== traceHash);
    if (earlier !== undefined) return firstDivergence(earlier.record, record);
    runs.push({ hash: traceHash, record });
  }
  return null;
}

/** What a run in a new process would start from: no assertion results, no buggify state, no trace log. */
function freshState(): RunShared {
  return { assertions: new AssertionStore(), buggify: new BuggifyState(), traceLog: null };
}

/**
 * The builder's `checkDeterminism(everyNth)` over a run: every Nth execution is run twice; the first
 * divergence marks the run as diverged, and the run stops there.
 */
export class DeterminismChecker {
  private executions = 0;
  diverged = false;

  /** `everyNth`: check executions 0, N, 2N, …; null: check nothing. */
  constructor(private readonly everyNth: number | null) {}

  get enabled(): boolean {
    return this.everyNth !== null;
  }

  /** `run` as it is, or (when due) checked by running `execute` again. */
  async verify(run: IterationRun, execute: Execution): Promise<IterationRun> {
    if (this.everyNth === null || this.executions++ % this.everyNth !== 0) return run;
    const checked = await checkDeterminism(run, execute);
    if (checked.failure?.kind === 'nondeterminism') this.diverged = true;
    return checked;
  }
}
