import { describeError } from '@moonpool/core';
import type { IterationFailure } from '../kernel/failure.js';
import { EventKind, eventKindName } from '../kernel/event-kind.js';
import type { Executor } from '../kernel/executor.js';
import { IterationFailedError } from '../kernel/failure.js';
import { spawnTask } from '../kernel/tasks.js';
import { msToTicks, ticksToMs } from '../kernel/ticks.js';
import { SimProviders } from '../providers/sim-providers.js';
import type { Cluster } from './cluster.js';
import { faultContext } from './fault-context.js';
import type { SimulationPlan } from './plan.js';

/**
 * The phases of one iteration: processes boot; workload setups run one after another; their runs
 * run concurrently, alongside the chaos phase; the system settles; checks run one after another.
 */
export async function runPhases(cluster: Cluster, plan: SimulationPlan, executor: Executor): Promise<void> {
  for (const host of cluster.hosts.values()) host.boot();
  for (const w of cluster.workloads) await w.phase('setup');
  const runs = Promise.all(cluster.workloads.map((w) => w.phase('run')));
  if (plan.chaosDurationMs !== null) await chaosPhase(cluster, plan, runs, plan.chaosDurationMs);
  await runs;
  await settle(cluster, executor, plan.settleTimeoutMs);
  for (const w of cluster.workloads) await w.phase('check');
}

/**
 * The chaos phase lasts `ms` or until every workload has finished, whichever comes first. Fault
 * injectors (attrition among them) run alongside; when it ends, faults stop and the network heals.
 */
async function chaosPhase(cluster: Cluster, plan: SimulationPlan, runs: Promise<unknown>, ms: number): Promise<void> {
  const providers = new SimProviders(cluster.world, cluster.system);
  const chaosEnd = new AbortController();
  const faults = faultContext(cluster, providers, chaosEnd.signal);
  for (const injector of plan.injectors) {
    spawnTask(cluster.world, cluster.system, `fault:${injector.name}`, () => injector.inject(faults));
  }
  const stop = new AbortController();
  const finished = runs.then(
    () => stop.abort(),
    () => stop.abort(),
  );
  await Promise.race([providers.time.sleep(ms, stop.signal).catch(() => {}), finished]);
  chaosEnd.abort();
  cluster.endChaos();
}

/** Waits until no workload events remain, or fails the iteration after `timeoutMs` of simulated time. */
function settle(cluster: Cluster, executor: Executor, timeoutMs: number): Promise<void> {
  const world = cluster.world;
  return new Promise<void>((resolve) => {
    const timeout = world.schedule(
      msToTicks(timeoutMs),
      EventKind.SettleTimeout,
      cluster.system,
      () => world.fail(settleTimeout(cluster, timeoutMs)),
      'settle',
      false,
    );
    executor.onSettled = () => {
      world.cancel(timeout);
      resolve();
    };
  });
}

function settleTimeout(cluster: Cluster, timeoutMs: number): IterationFailure {
  const world = cluster.world;
  const busyTasks = world
    .waitingTasks()
    .filter((t) => t.owner.kind === 'workload')
    .map((t) => t.describe());
  const pendingEvents = world.queue
    .items()
    .filter((e) => !e.cancelled && e.settles)
    .sort((a, b) => a.time - b.time || a.seq - b.seq)
    .slice(0, 20)
    .map((e) => ({
      kind: eventKindName(e.kind),
      label: e.label,
      machine: e.owner?.ip ?? 'sim',
      createdAtMs: ticksToMs(e.createdAt),
      dueAtMs: ticksToMs(e.time),
    }));
  return { kind: 'settle-timeout', timeoutMs, busyTasks, pendingEvents };
}

/** Checks every invariant after an event; the first that throws fails the iteration. */
export function checkInvariants(cluster: Cluster, plan: SimulationPlan): void {
  const nowMs = cluster.world.nowMs();
  for (const inv of plan.invariants) {
    try {
      inv.check(cluster.state, nowMs);
    } catch (err) {
      const error = describeError(err, { stack: false });
      throw new IterationFailedError({ kind: 'invariant', invariant: inv.name, atMs: nowMs, error });
    }
  }
}
