// What the attrition tests share: processes that record their lifecycle on a test timeline (one
// that ignores ctx.shutdown, one that cooperates, one that keeps a file), a workload that records the
// fault timeline, running attrition over seeds, and reboots reconstructed from the fault timeline.
import assert from 'node:assert/strict';
import type { Attrition } from '../../src/chaos/attrition.js';
import { FAULT_LOG, type FaultEvent } from '../../src/chaos/fault-events.js';
import type { RebootKind } from '../../src/chaos/reboot.js';
import { NetworkConfiguration } from '../../src/config/network-configuration.js';
import { StorageConfiguration } from '../../src/config/storage-configuration.js';
import { SimulationBuilder } from '../../src/builder/builder.js';
import type { Process, SimContext, Workload } from '../../src/engine/context.js';
import type { EventLogEntry } from '../../src/engine/event-logs.js';
import type { IterationRun } from '../../src/report/simulation-report.js';
import { bytes, text } from './bytes.js';

export type FaultEntry = EventLogEntry<FaultEvent>;

/** What a process writes about itself on the `LIFE` timeline. */
export interface Life {
  what: 'boot' | 'shutdown' | 'exit';
  /** How many times this process object's `run` was called (always 1: a fresh object per boot). */
  runs?: number;
  /** `ctx.shutdown.aborted` at boot. */
  aborted?: boolean;
  /** Content of the process's file at boot (storage tests). */
  content?: string;
}

export const LIFE = 'test:life';
export const PORT = 7000;
export const EPS = 1e-6;

/** Network and storage with no chaos of their own, so that only attrition injects faults. */
export function quiet(b: SimulationBuilder): SimulationBuilder {
  return b
    .setNetworkConfiguration(NetworkConfiguration.fastLocal())
    .setStorageConfiguration(StorageConfiguration.fastLocal());
}

/** A process that ignores `ctx.shutdown`: only a force-kill stops it. */
export function stubborn(): Process {
  return {
    name: 'stubborn',
    async run(ctx) {
      ctx.emit<Life>(LIFE, { what: 'boot', aborted: ctx.shutdown.aborted });
      await ctx.time.sleep(1e9);
    },
  };
}

/** A process that honours `ctx.shutdown`: it cleans up for `cleanupMs`, then returns. */
export class Cooperative implements Process {
  readonly name = 'cooperative';
  private runs = 0;
  constructor(private readonly cleanupMs: number) {}

  async run(ctx: SimContext): Promise<void> {
    this.runs++;
    ctx.emit<Life>(LIFE, { what: 'boot', runs: this.runs, aborted: ctx.shutdown.aborted });
    await ctx.time.sleep(1e9, ctx.shutdown).catch(() => {});
    ctx.emit<Life>(LIFE, { what: 'shutdown' });
    await ctx.time.sleep(this.cleanupMs);
    ctx.emit<Life>(LIFE, { what: 'exit' });
  }
}

/** What one iteration's workload saw in its check phase. */
export interface Observation {
  faults: FaultEntry[];
  life: EventLogEntry<Life>[];
  /** `isAlive` of every process at check time. */
  aliveAtEnd: boolean[];
  processIps: readonly string[];
}

/** A workload that keeps the run phase going for `runMs`, then records the timelines. */
export function observer(runMs: number, out: Observation[]): Workload {
  return {
    name: 'observer',
    async run(ctx) {
      await ctx.time.sleep(runMs);
    },
    async check(ctx) {
      out.push({
        faults: [...ctx.eventLog<FaultEvent>(FAULT_LOG).all()],
        life: [...ctx.eventLog<Life>(LIFE).all()],
        aliveAtEnd: ctx.cluster.processIps.map((ip) => ctx.cluster.isAlive(ip)),
        processIps: [...ctx.cluster.processIps],
      });
    },
  };
}

export interface AttritionRun {
  runs: IterationRun[];
  observations: Observation[];
}

/** Runs `seeds` with `n` processes, attrition `a` for `chaosMs`, and an observer running `runMs`. */
export async function runAttrition(
  a: Attrition,
  opts: {
    n: number;
    chaosMs: number;
    runMs: number;
    seeds: number[];
    process?: () => Process;
    configure?: (b: SimulationBuilder) => SimulationBuilder;
  },
): Promise<AttritionRun> {
  const observations: Observation[] = [];
  let b = quiet(new SimulationBuilder())
    .processes(opts.n, opts.process ?? stubborn)
    .attrition(a)
    .chaosDuration(opts.chaosMs)
    .workload(observer(opts.runMs, observations));
  if (opts.configure) b = opts.configure(b);
  const report = await b.setDebugSeeds(opts.seeds).run();
  for (const run of report.runs) {
    assert.ok(run.ok, `seed ${run.seed}: ${run.error ?? ''}`);
  }
  assert.equal(observations.length, opts.seeds.length);
  return { runs: report.runs, observations };
}

/** One reboot reconstructed from the fault timeline. */
export interface Reboot {
  ip: string;
  kind: RebootKind;
  /** `ProcessGracefulShutdown` (graceful) or `ProcessForceKill` (crash) time. */
  startMs: number;
  /** `ProcessForceKill` time (a crash, or a graceful reboot whose grace period ran out). */
  forcedMs?: number;
  restartMs?: number;
  storageCrash: boolean;
  wipe: boolean;
}

/** Groups the process and storage entries of the fault timeline into reboots, per IP. */
export function parseReboots(faults: readonly FaultEntry[]): Reboot[] {
  const open = new Map<string, Reboot>();
  const out: Reboot[] = [];
  for (const { event: e, timeMs } of faults) {
    switch (e.type) {
      case 'ProcessGracefulShutdown': {
        assert.equal(open.get(e.ip), undefined, `graceful shutdown of ${e.ip} during a reboot`);
        const r: Reboot = { ip: e.ip, kind: 'Graceful', startMs: timeMs, storageCrash: false, wipe: false };
        open.set(e.ip, r);
        out.push(r);
        break;
      }
      case 'ProcessForceKill': {
        const r = open.get(e.ip);
        if (r !== undefined) {
          assert.equal(r.kind, 'Graceful', `${e.ip} force-killed twice`);
          assert.equal(r.forcedMs, undefined, `${e.ip} force-killed twice`);
          r.forcedMs = timeMs;
        } else {
          const n: Reboot = {
            ip: e.ip,
            kind: 'Crash',
            startMs: timeMs,
            forcedMs: timeMs,
            storageCrash: false,
            wipe: false,
          };
          open.set(e.ip, n);
          out.push(n);
        }
        break;
      }
      case 'StorageCrash':
      case 'StorageWipe': {
        const r = open.get(e.ip);
        assert.ok(r !== undefined && r.forcedMs === timeMs, `${e.type} of ${e.ip} at ${timeMs} outside a kill`);
        if (e.type === 'StorageCrash') r.storageCrash = true;
        else {
          r.wipe = true;
          r.kind = 'CrashAndWipe';
        }
        break;
      }
      case 'ProcessRestart': {
        const r = open.get(e.ip);
        assert.ok(r !== undefined, `restart of ${e.ip} without a reboot`);
        r.restartMs = timeMs;
        open.delete(e.ip);
        break;
      }
      default:
        break;
    }
  }
  return out;
}

/** `x` in [lo, hi), up to float rounding. */
export function inRange(x: number, lo: number, hi: number, what: string): void {
  assert.ok(x >= lo - EPS && x < hi - EPS, `${what}: ${x} not in [${lo}, ${hi})`);
}

/** Content of the file at boot k (0-based): every earlier boot's synced part, and unsynced ones if kept. */
export function expectedContent(k: number, keepUnsynced: boolean): string {
  if (k === 0) return '<none>';
  let s = '';
  for (let i = 1; i <= k; i++) s += `S${i};` + (keepUnsynced ? `U${i};` : '');
  return s;
}

/**
 * One process that, at every boot, reads its file, then appends a synced `S<n>;` and an unsynced
 * `U<n>;` (n = boot number). Returns the content seen at each boot (attrition `a` for 40 s).
 */
export async function storageBoots(a: Attrition, seed = 14): Promise<string[]> {
  let boots = 0;
  const store: Process = {
    name: 'store',
    async run(ctx) {
      const n = ++boots;
      const exists = await ctx.storage.exists('/data');
      const f = await ctx.storage.open('/data', { read: true, write: true, create: true });
      const size = await f.size();
      const content = text(await f.readAt(0, size));
      ctx.emit<Life>(LIFE, { what: 'boot', content: exists ? content : '<none>' });
      await f.writeAt(size, bytes(`S${n};`));
      await f.syncAll();
      await f.writeAt(size + `S${n};`.length, bytes(`U${n};`));
      await ctx.time.sleep(1e9, ctx.shutdown).catch(() => {});
    },
  };
  const { observations } = await runAttrition(
    { recoveryDelayMs: [100, 200], ...a },
    { n: 1, chaosMs: 40_000, runMs: 41_000, seeds: [seed], process: () => store },
  );
  const obs = observations[0] as Observation;
  return obs.life.filter((l) => l.event.what === 'boot').map((l) => l.event.content ?? '?');
}
