import { parentPort, workerData } from 'node:worker_threads';
import { describeError } from '@moonpool/core';
import { CoverageCollector } from '../coverage/coverage-collector.js';
import { captureDetachedErrors } from '../engine/detached-errors.js';
import { holdHermetic } from '../hermetic/hermetic.js';
import { ProgressCell, setWatchedProgress } from '../kernel/progress-cell.js';
import {
  COUNTER_SLOTS,
  packResults,
  recipeAt,
  type RunBatch,
  type WorkerInit,
  type WorkerReply,
  type WorkerSource,
} from './protocol.js';
import type { Recipe } from '@moonpool/explorer';
import type { SimulationPlan } from '../engine/plan.js';
import type { MachineStart } from './machine-start.js';
import { type TimelineResult, TimelineReplayer } from './timeline-replayer.js';

/**
 * The simulation module failed to import. Its message carries the module and the cause's stack (a
 * syntax error's stack does not name the module); its own stack, inside the worker, would say nothing.
 */
class ModuleLoadError extends Error {
  constructor(moduleUrl: string, cause: unknown) {
    super(`cannot import the simulation module ${moduleUrl}:\n${describeError(cause)}`);
  }
}

/**
 * A worker thread of a parallel exploration: rebuilds the simulation from its module; for each batch
 * it is sent, in order, takes timelines from the batch's shared counter until none is left (each run
 * from the start state), then sends their results back in one message.
 */
const port = parentPort;
if (port === null) throw new Error('exploration-worker.js runs as a worker thread');

const reply = (message: WorkerReply): void => port.postMessage(message);
const init = workerData as WorkerInit;
const next = new Int32Array(init.next);
if (init.progress !== undefined) setWatchedProgress(new ProgressCell(init.progress));

/**
 * Runs batches as they come, keeping what a batch leaves out because it did not change (see
 * `RunBatch`). Declared above the top-level await: a class declared below it is not yet initialised.
 */
class BatchWorker {
  private prefix: Recipe = [];
  private start: MachineStart | null = null;

  constructor(readonly runner: TimelineReplayer) {}

  async run(batch: RunBatch): Promise<{ index: number; result: TimelineResult }[]> {
    const { rootSeed, base, lasts, slot } = batch;
    // The start state changes only on discoveries: the main thread sends what changed, when it did.
    if (base !== undefined) this.runner.apply(base);
    if (batch.prefix !== undefined) this.prefix = batch.prefix;
    if (batch.start !== undefined) this.start = batch.start;
    const recipes = { prefix: this.prefix, lasts };
    const results: { index: number; result: TimelineResult }[] = [];
    for (let i = Atomics.add(next, slot, 1); i < lasts.length; i = Atomics.add(next, slot, 1)) {
      results.push({ index: i, result: (await this.runner.run(rootSeed, recipeAt(recipes, i), this.start)).result });
    }
    return results;
  }
}

// A worker runs nothing but timelines: detached errors are always its timelines'.
captureDetachedErrors();

try {
  // Before the import: code compiled earlier would have no block counters.
  const coverage = init.codeCoverage === undefined ? null : await CoverageCollector.start(init.codeCoverage);
  if (init.codeCoverage !== undefined && coverage === null) throw new Error('code coverage is not available in this Node');
  const plan = await loadPlan(init.source);
  // What the import ran is no timeline's (the main thread imported the module long before).
  coverage?.take();
  // The thread runs nothing but timelines: hermetic mode's stand-ins stay installed for its life.
  if (plan.hermetic) holdHermetic();
  const worker = new BatchWorker(new TimelineReplayer(plan));
  // Batches may arrive while one runs (the next one is sent early): they run one after the other.
  let running = Promise.resolve();
  port.on('message', (batch: RunBatch) => {
    running = running.then(() =>
      worker.run(batch).then(
        (results) =>
          reply({
            kind: 'results',
            results: packResults(results),
            sum: worker.runner.takeSum(),
            ...(coverage === null ? {} : { code: coverage.takeNew() }),
          }),
        (err: unknown) => reply({ kind: 'error', message: describeError(err) }),
      ).then(() => {
        // Sent: the main thread, running timelines while it waits, sees it here without sleeping.
        Atomics.add(next, COUNTER_SLOTS + batch.slot, 1);
      }),
    );
  });
  reply({ kind: 'ready' });
} catch (err) {
  reply({ kind: 'error', message: err instanceof ModuleLoadError ? err.message : describeError(err) });
}

/** The export may be a builder, a function returning one, or an object with `build()` (a `defineSimulation`). */
async function loadPlan({ moduleUrl, exportName }: WorkerSource): Promise<SimulationPlan> {
  let module: Record<string, unknown>;
  try {
    module = (await import(moduleUrl)) as Record<string, unknown>;
  } catch (err) {
    throw new ModuleLoadError(moduleUrl, err);
  }
  const value = module[exportName];
  const builder: unknown =
    typeof value === 'function'
      ? (value as () => unknown)()
      : hasMethod(value, 'build')
        ? value.build()
        : value;
  if (!hasMethod(builder, 'toPlan')) {
    throw new Error(
      `export '${exportName}' of ${moduleUrl} is not a simulation: export a SimulationBuilder, a function returning one, or a defineSimulation(...)`,
    );
  }
  return builder.toPlan() as SimulationPlan;
}

function hasMethod<K extends string>(value: unknown, name: K): value is Record<K, () => unknown> {
  return typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>)[name] === 'function';
}
