import { parentPort, workerData } from 'node:worker_threads';
import type { StoreState } from '@moonpool/explorer';
import type { RunJobs, WorkerReply, WorkerSource } from './exploration-protocol.js';
import type { SimulationPlan } from './plan.js';
import { TimelineRunner } from './timeline-runner.js';

/**
 * A worker thread of a parallel exploration: rebuilds the simulation from its module, then runs the
 * timelines it is sent, each from the batch-start assertion state, and sends their results back.
 */
const port = parentPort;
if (port === null) throw new Error('exploration-worker.js runs as a worker thread');

const reply = (message: WorkerReply): void => port.postMessage(message);

/** The start state of the batch being run (sent once per batch). */
let batchBase: { batch: number; base: StoreState } | null = null;

try {
  const runner = new TimelineRunner(await loadPlan(workerData as WorkerSource));
  port.on('message', (message: RunJobs) => {
    if (message.base !== undefined) batchBase = { batch: message.batch, base: message.base };
    void runJobs(runner, message).then(
      (results) => reply({ kind: 'results', results }),
      (err: unknown) => reply({ kind: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
    );
  });
  reply({ kind: 'ready' });
} catch (err) {
  reply({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
}

async function runJobs(runner: TimelineRunner, { batch, rootSeed, jobs }: RunJobs) {
  if (batchBase?.batch !== batch) throw new Error(`no start state for batch ${batch}`);
  const { base } = batchBase;
  const results = [];
  for (const { index, recipe } of jobs) {
    results.push({ index, result: (await runner.run(rootSeed, base, recipe)).result });
  }
  return results;
}

/** The export may be a builder, a function returning one, or an object with `build()` (a `defineSimulation`). */
async function loadPlan({ moduleUrl, exportName }: WorkerSource): Promise<SimulationPlan> {
  const module = (await import(moduleUrl)) as Record<string, unknown>;
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
