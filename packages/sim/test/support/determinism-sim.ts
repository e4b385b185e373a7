// A deliberately busy simulation for the determinism tests: many concurrent tasks with random sleeps,
// spawns, yields, races of cancellable sleeps, timeouts, buggify, global randomness and a reboot.
import { TimeoutError } from '@moonpool/core';
import { buggify } from '@moonpool/core';
import { simRandom } from '../../src/providers/sim-random-functions.js';
import { SimulationBuilder } from '../../src/builder/builder.js';
import type { Process, SimContext, Workload } from '../../src/engine/context.js';
import { WorkloadCount } from '../../src/engine/counts.js';

/** One iteration's fingerprint. */
export interface SeedHash {
  seed: string;
  hash: string;
  events: number;
  simTimeMs: number;
  ok: boolean;
  error?: string;
  /** What the iteration exercised: fault types, race winners, timeout outcomes (client 0's view). */
  features: string;
}

/** Filled by client 0's check, one entry per iteration. */
let features: string[] = [];

function server(): Process {
  return {
    name: 'server',
    async run(ctx) {
      const { time, task, random } = ctx;
      const workers = [0, 1].map((w) =>
        task.spawn(`worker${w}`, async () => {
          let n = 0;
          while (!ctx.shutdown.aborted) {
            // Some sites ignore the shutdown signal: a graceful reboot may end in a force kill.
            const signal = buggify('server.ignore-shutdown') ? undefined : ctx.shutdown;
            await time.sleep(random.randomRange(1, 40), signal).catch(() => {});
            if (buggify('server.extra-yield')) await task.yieldNow();
            n++;
            ctx.state.publish(`${ctx.myIp}/${w}`, n);
            if (n % 5 === 0) ctx.emit('server', { w, n });
          }
        }),
      );
      for (const w of workers) await w.join();
    },
  };
}

async function race(ctx: SimContext): Promise<string> {
  const ac = new AbortController();
  const contender = (ms: number, tag: string): Promise<string> =>
    ctx.time.sleep(ms, ac.signal).then(
      () => tag,
      () => `${tag}-cancelled`,
    );
  const winner = await Promise.race([
    contender(ctx.random.randomRange(1, 50), 'a'),
    contender(ctx.random.randomRange(1, 50), 'b'),
    contender(ctx.random.randomRange(1, 50), 'c'),
  ]);
  ac.abort();
  return winner;
}

async function timed(ctx: SimContext): Promise<string> {
  const limit = ctx.random.randomRange(5, 30);
  const work = ctx.random.randomRange(1, 40);
  try {
    await ctx.time.timeout(limit, (signal) => ctx.time.sleep(work, signal));
    return 'in-time';
  } catch (err) {
    if (err instanceof TimeoutError) return 'timed-out';
    throw err;
  }
}

function client(index: number): Workload {
  return {
    name: `client${index}`,
    async run(ctx) {
      const { time, task, random } = ctx;
      const handles: Array<{ join(): Promise<unknown> }> = [];
      const steps = random.randomRange(15, 35);
      let rebooted = false;
      for (let s = 0; s < steps; s++) {
        switch (random.randomRange(0, 7)) {
          case 0:
            await time.sleep(random.randomRange(0, 20) + simRandom());
            break;
          case 1:
            handles.push(
              task.spawn(`child${s}`, async () => {
                for (let k = random.randomRange(1, 4); k > 0; k--) {
                  await time.sleep(random.randomRange(1, 10));
                  if (buggify('client.child-yield')) await task.yieldNow();
                }
                return s;
              }),
            );
            break;
          case 2:
            for (let k = random.randomRange(1, 4); k > 0; k--) await task.yieldNow();
            break;
          case 3:
            ctx.emit('race', await race(ctx));
            break;
          case 4:
            ctx.emit('timeout', await timed(ctx));
            break;
          case 5:
            if (index === 0 && !rebooted && ctx.cluster.processIps.length > 0) {
              rebooted = true;
              const ips = ctx.cluster.processIps;
              const ip = ips[random.randomRange(0, ips.length)] as string;
              ctx.cluster.reboot(ip, random.randomBool(0.5) ? 'Graceful' : 'Crash', {
                gracePeriodMs: random.randomRange(10, 100),
                recoveryDelayMs: random.randomRange(10, 100),
              });
            }
            break;
          default:
            if (buggify('client.pause')) await time.sleep(random.randomRange(50, 150));
            else await Promise.resolve();
        }
      }
      if (index === 0 && !rebooted) {
        const ip = ctx.cluster.processIps[0];
        if (ip !== undefined) ctx.cluster.reboot(ip, 'Crash', { recoveryDelayMs: 20 });
      }
      for (const h of handles) await h.join();
      await time.sleep(200);
    },
    async check(ctx) {
      if (index !== 0) return;
      const kinds = (key: string): string[] =>
        ctx
          .eventLog<string | { type: string }>(key)
          .all()
          .map((e) => (typeof e.event === 'string' ? e.event : e.event.type));
      const distinct = (xs: string[]): string => [...new Set(xs)].sort().join('+');
      features.push(
        [
          `faults=${kinds('sim:faults').filter((k) => k.startsWith('Process')).join('+')}`,
          `races=${distinct(kinds('race'))}`,
          `timeouts=${distinct(kinds('timeout'))}`,
          `server=${ctx.eventLog('server').length}`,
        ].join(' '),
      );
    },
  };
}

/** The busy simulation over `iterations` seeds from the default base seed. */
export function determinismSimulation(iterations = 200): SimulationBuilder {
  return new SimulationBuilder()
    .setName('determinism')
    .setIterations(iterations)
    .processes([2, 3], server)
    .workloads(WorkloadCount.Random(2, 4), client);
}

/** Runs the simulation and returns every iteration's fingerprint (JSON-friendly). */
export async function determinismHashes(iterations = 200): Promise<SeedHash[]> {
  features = [];
  const report = await determinismSimulation(iterations).run();
  return report.runs.map((r, i) => {
    const h: SeedHash = {
      seed: r.seed.toString(),
      hash: r.traceHash,
      events: r.events,
      simTimeMs: r.simTimeMs,
      ok: r.ok,
      features: features[i] ?? '(no check)',
    };
    if (r.error !== undefined) h.error = r.error;
    return h;
  });
}
