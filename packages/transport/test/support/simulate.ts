// Runs transport code inside the simulator: server processes and one client workload, on a quiet
// network unless told otherwise. Fails the test with the iteration's error when an iteration fails.
import assert from 'node:assert/strict';
import type { NetworkProvider, Providers } from '@moonpool/core';
import {
  type FaultContext,
  NetworkConfiguration,
  type SimContext,
  SimulationBuilder,
  type SimulationReport,
} from '@moonpool/sim';
import { MessagingError, type MessagingErrorKind, ReplyError, type ReplyErrorKind } from '../../src/index.js';

export interface Scenario {
  /** Number of server processes (default 1). */
  readonly servers?: number;
  /** Each server's life (it is killed at the end of the iteration). */
  readonly server: (ctx: SimContext) => Promise<void>;
  /** The client workload: its end is the end of the scenario. */
  readonly client: (ctx: SimContext, serverIps: readonly string[]) => Promise<void>;
  readonly seeds?: readonly number[];
  readonly network?: NetworkConfiguration;
  /**
   * Faults injected while the client runs (partitions, cuts, peer crashes): a fault injector of a
   * chaos phase that lasts until the client ends (at most `chaosMs`, default 120 s).
   */
  readonly faults?: (f: FaultContext) => Promise<void>;
  readonly chaosMs?: number;
  /** Set up more (fault injectors, chaos phase...). */
  readonly configure?: (builder: SimulationBuilder) => SimulationBuilder;
}

/** Far above what any scenario here needs. */
const MAX_EVENTS = 200_000;

export async function simulate(scenario: Scenario): Promise<SimulationReport> {
  let builder = new SimulationBuilder()
    .setNetworkConfiguration(scenario.network ?? NetworkConfiguration.fastLocal())
    .processes(scenario.servers ?? 1, () => ({ name: 'server', run: scenario.server }))
    .workload({ name: 'client', run: (ctx) => scenario.client(ctx, ctx.topology.processIps) })
    .setDebugSeeds((scenario.seeds ?? [1]).map(BigInt))
    // A transport bug that spins (at one instant, or in a tight reconnect loop) fails fast and clearly.
    .setLimits({ maxEvents: MAX_EVENTS, maxSimTimeMs: 600_000 });
  const faults = scenario.faults;
  if (faults) {
    builder = builder.chaosDuration(scenario.chaosMs ?? 120_000).fault({ name: 'test faults', inject: faults });
  }
  if (scenario.configure) builder = scenario.configure(builder);
  const report = await builder.run();
  const failed = report.runs.find((r) => !r.ok);
  assert.equal(failed, undefined, `seed ${String(failed?.seed)} failed: ${failed?.error ?? ''}`);
  return report;
}

/** The port every test server listens on. */
export const PORT = 4500;

/** The client workload's IP (workloads get 10.0.0.1, 10.0.0.2, ...). */
export const CLIENT_IP = '10.0.0.1';

/** For `assert.rejects`: a `ReplyError` of this kind. */
export const isReplyError =
  (kind: ReplyErrorKind) =>
  (err: unknown): boolean =>
    err instanceof ReplyError && err.kind === kind;

/** For `assert.rejects` / `assert.throws`: a `MessagingError` of this kind. */
export const isMessagingError =
  (kind: MessagingErrorKind) =>
  (err: unknown): boolean =>
    err instanceof MessagingError && err.kind === kind;

/** How a promise ended, for assertions on many outcomes at once. */
export async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (err) {
    if (err instanceof ReplyError || err instanceof MessagingError) return err.kind;
    return err instanceof Error ? err.name : String(err);
  }
}

/** `providers` whose network records the simulated time of every connect attempt in `attempts`. */
export function watchConnects<P extends Providers>(providers: P, attempts: number[]): P {
  const inner = providers.network;
  const network: NetworkProvider = {
    bind: (addr) => inner.bind(addr),
    connect: (addr) => {
      attempts.push(providers.time.now());
      return inner.connect(addr);
    },
  };
  return { ...providers, network };
}

/** Sleeps (in simulated time) until `done()` holds, checking every `stepMs`; throws after `maxMs`. */
export async function waitUntil(ctx: SimContext, done: () => boolean, stepMs = 1, maxMs = 30_000): Promise<void> {
  const deadline = ctx.time.now() + maxMs;
  while (!done()) {
    if (ctx.time.now() > deadline) throw new Error(`waitUntil: still not done after ${maxMs} ms: ${String(done)}`);
    await ctx.time.sleep(stepMs);
  }
}

/** Sleeps until the simulated time `at` (ms). */
export function sleepUntil(ctx: SimContext, at: number): Promise<void> {
  return ctx.time.sleep(Math.max(0, at - ctx.time.now()));
}

/** Cuts the machine at `ip` off from everyone, both ways, for `ms`. */
export function isolate(f: FaultContext, ip: string, ms: number): void {
  f.partitionSendFrom(ip, ms);
  f.partitionRecvTo(ip, ms);
}

/** Never settles: a server that serves from its background tasks until it is killed. */
export function forever(): Promise<never> {
  return new Promise<never>(() => undefined);
}

/** Gaps between consecutive times, rounded to the ms (simulated latencies are microseconds). */
export function gaps(times: readonly number[]): number[] {
  return times.slice(1).map((t, i) => Math.round(t - (times[i] as number)));
}
