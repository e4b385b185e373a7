// What the fault injector tests share: machines on the fastLocal network and storage (no chaos but
// the injector's), an echo server and a sleeping process, and a workload that pings the echo server
// one byte at a time while an injector runs, with checks of which ping the fault held up.
import assert from 'node:assert/strict';
import { IoError } from '@moonpool/core';
import { FAULT_LOG, type FaultEvent } from '../../src/chaos/fault-events.js';
import type { FaultContext, FaultInjector } from '../../src/chaos/fault-injector.js';
import { NetworkConfiguration } from '../../src/config/network-configuration.js';
import { StorageConfiguration } from '../../src/config/storage-configuration.js';
import { SimulationBuilder } from '../../src/builder/builder.js';
import type { Process, Workload } from '../../src/engine/context.js';
import type { EventLogEntry } from '../../src/engine/event-logs.js';
import type { IterationRun } from '../../src/report/simulation-report.js';

export type FaultEntry = EventLogEntry<FaultEvent>;

export const PORT = 7100;
export const W = '10.0.0.1';
export const P1 = '10.0.1.1';
export const P2 = '10.0.1.2';
export const P3 = '10.0.1.3';
export const P4 = '10.0.1.4';
export const P5 = '10.0.1.5';
export const ECHO = 'test:echo';
/** Round trip on the fastLocal network (latencies of 1–10 µs): well below this. */
export const FAST_MS = 0.1;

/** fastLocal network and storage: no chaos but the injector's. */
export function quiet(): SimulationBuilder {
  return new SimulationBuilder()
    .setNetworkConfiguration(NetworkConfiguration.fastLocal())
    .setStorageConfiguration(StorageConfiguration.fastLocal());
}

export function injector(name: string, inject: (f: FaultContext) => Promise<void>): FaultInjector {
  return { name, inject };
}

/** Echoes every byte back and records its arrival on the `ECHO` timeline. */
export function echoServer(): Process {
  return {
    name: 'echo',
    async run(ctx) {
      const listener = await ctx.network.bind(`${ctx.myIp}:${PORT}`);
      for (;;) {
        const [s] = await listener.accept();
        ctx.task.spawn('conn', async () => {
          try {
            for (let c = await s.read(); c !== null; c = await s.read()) {
              for (const byte of c) ctx.emit<number>(ECHO, byte);
              await s.writeAll(c);
            }
            await s.close();
          } catch {
            s.abort();
          }
        });
      }
    },
  };
}

/** A process that ignores shutdown and sleeps. */
export function sleeper(): Process {
  return {
    name: 'sleeper',
    async run(ctx) {
      ctx.emit(ECHO, -1); // marks a boot
      await ctx.time.sleep(1e9);
    },
  };
}

export interface Ping {
  byte: number;
  sentAt: number;
  backAt?: number;
  error?: string;
}

export interface Outcome {
  run: IterationRun;
  pings: Ping[];
  /** Arrival of each byte at the echo server, by its value. */
  echoes: EventLogEntry<number>[];
  faults: FaultEntry[];
}

/**
 * Echo servers on `processes` machines; one workload (10.0.0.1) pings P1 one byte at a time, one
 * ping every `gapMs`, until `runMs`; the fault injector runs alongside for `chaosMs`.
 */
export async function pingRun(
  inject: (f: FaultContext) => Promise<void>,
  opts: { chaosMs: number; runMs: number; gapMs?: number; processes?: number; seed?: number },
): Promise<Outcome> {
  const pings: Ping[] = [];
  let echoes: EventLogEntry<number>[] = [];
  let faults: FaultEntry[] = [];
  const pinger: Workload = {
    name: 'pinger',
    async run(ctx) {
      await ctx.time.sleep(1);
      const s = await ctx.network.connect(`${P1}:${PORT}`);
      for (let i = 1; ctx.time.now() < opts.runMs; i++) {
        const ping: Ping = { byte: i % 256, sentAt: ctx.time.now() };
        pings.push(ping);
        try {
          await s.writeAll(new Uint8Array([ping.byte]));
          const back = await s.read(1);
          assert.ok(back !== null && back[0] === ping.byte, 'echoed');
          ping.backAt = ctx.time.now();
        } catch (err) {
          ping.error = err instanceof IoError ? err.code : String(err);
          ping.backAt = ctx.time.now();
          s.abort();
          break;
        }
        await ctx.time.sleep(opts.gapMs ?? 20);
      }
      if (pings.every((p) => p.error === undefined)) await s.close();
    },
    async check(ctx) {
      echoes = [...ctx.eventLog<number>(ECHO).all()];
      faults = [...ctx.eventLog<FaultEvent>(FAULT_LOG).all()];
    },
  };
  const report = await quiet()
    .processes(opts.processes ?? 1, echoServer)
    .fault(injector('test', inject))
    .chaosDuration(opts.chaosMs)
    .workload(pinger)
    .setDebugSeeds([opts.seed ?? 1])
    .run();
  const run = report.runs[0] as IterationRun;
  assert.ok(run.ok, run.error);
  return { run, pings, echoes, faults };
}

/** `x` is `at`, or later by less than a fast round trip. */
export const near = (x: number | undefined, at: number): boolean =>
  x !== undefined && x >= at - 1e-9 && x < at + FAST_MS;

/** Pings sent in [from, to): there is exactly one (it blocks the loop); returns it. */
export function blockedPing(pings: readonly Ping[], from: number, to: number): Ping {
  const inside = pings.filter((p) => p.sentAt >= from && p.sentAt < to);
  assert.equal(inside.length, 1, `pings sent in [${from}, ${to}): ${JSON.stringify(inside)}`);
  return inside[0] as Ping;
}

/** Every ping outside [from, to] made a fast round trip. */
export function othersFast(pings: readonly Ping[], blocked: Ping): void {
  const others = pings.filter((p) => p !== blocked);
  assert.ok(others.length > 20, `${others.length} other pings`);
  for (const p of others) {
    assert.ok(p.backAt !== undefined && p.backAt - p.sentAt < FAST_MS, `ping ${JSON.stringify(p)} was slow`);
  }
}

/** Arrival time at the server of the ping's byte. */
export function arrival(o: Outcome, ping: Ping): number | undefined {
  return o.echoes.find((e) => e.event === ping.byte && e.timeMs >= ping.sentAt)?.timeMs;
}

/** The fault timeline as [time, event] pairs, to compare whole. */
export const events = (faults: readonly FaultEntry[]): Array<[number, FaultEvent]> =>
  faults.map((f) => [f.timeMs, f.event]);
