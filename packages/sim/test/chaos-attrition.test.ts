// Attrition (SPEC §4.7, seed config reference: `Attrition`, `RebootKind`): random process reboots
// during the chaos phase, observed end to end through the SimulationBuilder. Processes record their
// lifecycle on a test timeline; workloads read the simulator's `sim:faults` timeline; an invariant
// looks at `ctx.cluster.isAlive` after every event.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IoError, SimulationError, type Stream } from '@moonpool/core';
import { NetworkConfiguration } from '../src/config/network-configuration.js';
import { StorageConfiguration } from '../src/config/storage-configuration.js';
import { durationRange } from '../src/config/duration-range.js';
import type { IterationRun } from '../src/report/simulation-report.js';
import {
  ATTRITION_INTERVAL_MS,
  type Attrition,
  chooseRebootKind,
  validateAttrition,
} from '../src/chaos/attrition.js';
import { SimulationBuilder } from '../src/builder/builder.js';
import type { Process, SimContext, Workload } from '../src/engine/context.js';
import type { RebootKind } from '../src/chaos/reboot.js';
import type { ClusterControl } from '../src/engine/cluster-control.js';
import { FAULT_LOG, type FaultEvent } from '../src/chaos/fault-events.js';
import type { EventLogEntry } from '../src/engine/event-logs.js';

// --- helpers ---------------------------------------------------------------------------------------

type FaultEntry = EventLogEntry<FaultEvent>;

/** What a process writes about itself on the `LIFE` timeline. */
interface Life {
  what: 'boot' | 'shutdown' | 'exit';
  /** How many times this process object's `run` was called (always 1: a fresh object per boot). */
  runs?: number;
  /** `ctx.shutdown.aborted` at boot. */
  aborted?: boolean;
  /** Content of the process's file at boot (storage tests). */
  content?: string;
}

const LIFE = 'test:life';
const PORT = 7000;
const EPS = 1e-6;

const enc = new TextEncoder();
const dec = new TextDecoder();
const bytes = (s: string): Uint8Array => enc.encode(s);
const text = (b: Uint8Array): string => dec.decode(b);

/** Network and storage with no chaos of their own, so that only attrition injects faults. */
function quiet(b: SimulationBuilder): SimulationBuilder {
  return b
    .setNetworkConfiguration(NetworkConfiguration.fastLocal())
    .setStorageConfiguration(StorageConfiguration.fastLocal());
}

/** A process that ignores `ctx.shutdown`: only a force-kill stops it. */
function stubborn(): Process {
  return {
    name: 'stubborn',
    async run(ctx) {
      ctx.emit<Life>(LIFE, { what: 'boot', aborted: ctx.shutdown.aborted });
      await ctx.time.sleep(1e9);
    },
  };
}

/** A process that honours `ctx.shutdown`: it cleans up for `cleanupMs`, then returns. */
class Cooperative implements Process {
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
interface Observation {
  faults: FaultEntry[];
  life: EventLogEntry<Life>[];
  /** `isAlive` of every process at check time. */
  aliveAtEnd: boolean[];
  processIps: readonly string[];
}

/** A workload that keeps the run phase going for `runMs`, then records the timelines. */
function observer(runMs: number, out: Observation[]): Workload {
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

interface AttritionRun {
  runs: IterationRun[];
  observations: Observation[];
}

/** Runs `seeds` with `n` processes, attrition `a` for `chaosMs`, and an observer running `runMs`. */
async function runAttrition(
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
interface Reboot {
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
function parseReboots(faults: readonly FaultEntry[]): Reboot[] {
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

const isProcessFault = (e: FaultEvent): boolean =>
  e.type === 'ProcessGracefulShutdown' || e.type === 'ProcessForceKill' || e.type === 'ProcessRestart';

function inRange(x: number, lo: number, hi: number, what: string): void {
  assert.ok(x >= lo - EPS && x < hi - EPS, `${what}: ${x} not in [${lo}, ${hi})`);
}

// --- reboot kinds by weight ------------------------------------------------------------------------

describe('attrition: chooseRebootKind', () => {
  const base = { maxDead: 1 };

  it('maps the ratio onto the normalised weights, in the order Graceful, Crash, CrashAndWipe', () => {
    const a: Attrition = { ...base, probGraceful: 1, probCrash: 2, probWipe: 1 };
    assert.equal(chooseRebootKind(a, 0), 'Graceful');
    assert.equal(chooseRebootKind(a, 0.2499), 'Graceful');
    assert.equal(chooseRebootKind(a, 0.25), 'Crash');
    assert.equal(chooseRebootKind(a, 0.7499), 'Crash');
    assert.equal(chooseRebootKind(a, 0.75), 'CrashAndWipe');
    assert.equal(chooseRebootKind(a, 0.999999), 'CrashAndWipe');
  });

  it('weights need not sum to 1: {2, 2, 0} is half graceful, half crash, never a wipe', () => {
    const a: Attrition = { ...base, probGraceful: 2, probCrash: 2, probWipe: 0 };
    const counts = sweep(a);
    assert.deepEqual(counts, { Graceful: 5000, Crash: 5000, CrashAndWipe: 0 });
    assert.deepEqual(
      sweep({ ...base, probGraceful: 0.2, probCrash: 0.2, probWipe: 0 }),
      counts,
      'only the proportions matter',
    );
  });

  it('a zero weight is never chosen, even at the ratio boundaries', () => {
    assert.deepEqual(sweep({ ...base, probGraceful: 0, probCrash: 0, probWipe: 5 }), {
      Graceful: 0,
      Crash: 0,
      CrashAndWipe: 10000,
    });
    assert.deepEqual(sweep({ ...base, probGraceful: 0, probCrash: 3, probWipe: 0 }), {
      Graceful: 0,
      Crash: 10000,
      CrashAndWipe: 0,
    });
    assert.deepEqual(sweep({ ...base, probGraceful: 7, probCrash: 0, probWipe: 0 }), {
      Graceful: 10000,
      Crash: 0,
      CrashAndWipe: 0,
    });
    assert.deepEqual(sweep({ ...base, probGraceful: 1, probCrash: 0, probWipe: 3 }), {
      Graceful: 2500,
      Crash: 0,
      CrashAndWipe: 7500,
    });
  });

  /** Kinds chosen for 10 000 evenly spaced ratios in [0, 1). */
  function sweep(a: Attrition): Record<RebootKind, number> {
    const counts: Record<RebootKind, number> = { Graceful: 0, Crash: 0, CrashAndWipe: 0 };
    for (let i = 0; i < 10000; i++) counts[chooseRebootKind(a, i / 10000)]++;
    return counts;
  }
});

// --- validation ------------------------------------------------------------------------------------

describe('attrition: validation', () => {
  const ok: Attrition = { maxDead: 1, probGraceful: 1, probCrash: 1, probWipe: 1 };

  const bad: Array<[string, Partial<Attrition>, RegExp]> = [
    ['negative maxDead', { maxDead: -1 }, /maxDead/],
    ['fractional maxDead', { maxDead: 1.5 }, /maxDead/],
    ['NaN maxDead', { maxDead: Number.NaN }, /maxDead/],
    ['negative probGraceful', { probGraceful: -0.5 }, /probGraceful/],
    ['NaN probCrash', { probCrash: Number.NaN }, /probCrash/],
    ['infinite probWipe', { probWipe: Number.POSITIVE_INFINITY }, /probWipe/],
    ['all-zero weights', { probGraceful: 0, probCrash: 0, probWipe: 0 }, /probGraceful \+ probCrash \+ probWipe/],
    ['empty recoveryDelayMs', { recoveryDelayMs: [500, 500] }, /recoveryDelayMs/],
    ['reversed recoveryDelayMs', { recoveryDelayMs: [900, 100] }, /recoveryDelayMs/],
    ['negative recoveryDelayMs', { recoveryDelayMs: [-10, 100] }, /recoveryDelayMs/],
    ['reversed gracePeriodMs', { gracePeriodMs: [300, 200] }, /gracePeriodMs/],
    ['NaN gracePeriodMs', { gracePeriodMs: [Number.NaN, 200] }, /gracePeriodMs/],
  ];

  for (const [what, patch, field] of bad) {
    it(`rejects ${what} with a RangeError naming the field (validateAttrition and builder.attrition)`, () => {
      const config = { ...ok, ...patch };
      assert.throws(() => validateAttrition(config), (err: unknown) => {
        assert.ok(err instanceof RangeError, String(err));
        assert.match(err.message, field);
        return true;
      });
      assert.throws(() => new SimulationBuilder().attrition(config), RangeError);
    });
  }

  it('accepts valid configurations unchanged (weights need not sum to 1, a zero maxDead is allowed)', () => {
    for (const a of [
      ok,
      { maxDead: 0, probGraceful: 0, probCrash: 0, probWipe: 0.1 },
      { maxDead: 3, probGraceful: 10, probCrash: 0, probWipe: 0, recoveryDelayMs: [0, 1], gracePeriodMs: [5, 6] },
    ] as Attrition[]) {
      assert.equal(validateAttrition(a), a);
    }
  });

  it(
    'a fractional or unbounded delay range is rejected up front, or else works',
    async () => {
      const ranges = [[0.5, 2.5], [0, Number.POSITIVE_INFINITY]] as const;
      for (const range of ranges) {
        for (const field of ['recoveryDelayMs', 'gracePeriodMs'] as const) {
          const config: Attrition = { maxDead: 1, probGraceful: 1, probCrash: 1, probWipe: 0, [field]: range };
          let rejected = false;
          try {
            validateAttrition(config);
          } catch (err) {
            assert.ok(err instanceof RangeError && err.message.includes(field), String(err));
            rejected = true;
          }
          if (rejected) continue;
          const report = await quiet(new SimulationBuilder())
            .processes(1, stubborn)
            .attrition(config)
            .chaosDuration(20_000)
            .workload(observer(20_000, []))
            .setDebugSeeds([1])
            .run();
          const run = report.runs[0] as IterationRun;
          assert.ok(run.ok, `${field} [${range.join(', ')}]: ${run.error ?? ''}`);
        }
      }
    },
  );

  it('attrition without chaosDuration: run() rejects with a SimulationError naming chaosDuration', async () => {
    const b = new SimulationBuilder().processes(2, stubborn).attrition(ok).workload(observer(10, []));
    await assert.rejects(b.run(), (err: unknown) => {
      assert.ok(err instanceof SimulationError, String(err));
      assert.match(err.message, /chaosDuration/);
      return true;
    });
    // With the chaos phase set, the same builder runs.
    const report = await b.chaosDuration(100).setDebugSeeds([1]).run();
    assert.equal(report.failedRuns, 0);
  });
});

// --- timing: defaults and custom ranges ------------------------------------------------------------

describe('attrition: grace period and recovery delay', () => {
  it('defaults: grace 2000..5000 ms, recovery 1000..10000 ms, decisions every 1..5 s', async () => {
    const { observations } = await runAttrition(
      { maxDead: 2, probGraceful: 1, probCrash: 1, probWipe: 0 },
      { n: 5, chaosMs: 400_000, runMs: 420_000, seeds: [1, 2] },
    );
    const graces: number[] = [];
    const recoveries: number[] = [];
    const starts: number[] = [];
    for (const obs of observations) {
      const reboots = parseReboots(obs.faults);
      for (const r of reboots) {
        starts.push(r.startMs);
        assert.ok(r.forcedMs !== undefined && r.restartMs !== undefined, `${r.ip}@${r.startMs} never restarted`);
        // Stubborn processes ignore the shutdown signal: every graceful reboot ends in a force-kill.
        if (r.kind === 'Graceful') graces.push(r.forcedMs - r.startMs);
        recoveries.push(r.restartMs - r.forcedMs);
      }
      assert.ok(obs.aliveAtEnd.every(Boolean), 'every process is back after the chaos phase');
    }
    assert.ok(graces.length >= 40, `${graces.length} graceful reboots`);
    assert.ok(recoveries.length >= 90, `${recoveries.length} reboots`);
    for (const g of graces) inRange(g, 2000, 5000, 'default grace period');
    for (const d of recoveries) inRange(d, 1000, 10000, 'default recovery delay');
    // The draws spread over the whole range, not a fixed value.
    assert.ok(Math.min(...graces) < 2300 && Math.max(...graces) > 4700, `graces ${Math.min(...graces)}..${Math.max(...graces)}`);
    assert.ok(
      Math.min(...recoveries) < 1500 && Math.max(...recoveries) > 9500,
      `recoveries ${Math.min(...recoveries)}..${Math.max(...recoveries)}`,
    );
    // No decision before the first interval has elapsed.
    assert.ok(Math.min(...starts) >= ATTRITION_INTERVAL_MS[0] - EPS);
  });

  it('custom recoveryDelayMs and gracePeriodMs ranges are respected', async () => {
    const { observations } = await runAttrition(
      { maxDead: 2, probGraceful: 1, probCrash: 1, probWipe: 0, recoveryDelayMs: [200, 300], gracePeriodMs: [50, 80] },
      { n: 3, chaosMs: 200_000, runMs: 201_000, seeds: [3] },
    );
    const reboots = parseReboots(observations[0]?.faults ?? []);
    const graces = reboots.filter((r) => r.kind === 'Graceful').map((r) => (r.forcedMs ?? NaN) - r.startMs);
    const recoveries = reboots.map((r) => (r.restartMs ?? NaN) - (r.forcedMs ?? NaN));
    assert.ok(graces.length >= 20 && recoveries.length >= 50, `${graces.length} / ${recoveries.length}`);
    for (const g of graces) inRange(g, 50, 80, 'grace period');
    for (const d of recoveries) inRange(d, 200, 300, 'recovery delay');
    assert.ok(Math.max(...graces) - Math.min(...graces) >= 15, 'grace periods are drawn, not fixed');
    assert.ok(Math.max(...recoveries) - Math.min(...recoveries) >= 50, 'recovery delays are drawn, not fixed');
  });
});

// --- kinds observed over many reboots ----------------------------------------------------------------

describe('attrition: reboot kinds by weight', () => {
  const fast = { recoveryDelayMs: [10, 20], gracePeriodMs: [10, 20] } as const;

  it('{probGraceful: 2, probCrash: 2, probWipe: 0}: about half graceful, half crash, never a wipe', async () => {
    const { observations } = await runAttrition(
      { maxDead: 1, probGraceful: 2, probCrash: 2, probWipe: 0, ...fast },
      { n: 5, chaosMs: 300_000, runMs: 301_000, seeds: [4, 5] },
    );
    const reboots = observations.flatMap((o) => parseReboots(o.faults));
    const graceful = reboots.filter((r) => r.kind === 'Graceful');
    const crash = reboots.filter((r) => r.kind === 'Crash');
    assert.ok(reboots.length >= 150, `${reboots.length} reboots`);
    assert.equal(graceful.length + crash.length, reboots.length, 'no CrashAndWipe');
    const share = graceful.length / reboots.length;
    assert.ok(share > 0.4 && share < 0.6, `graceful share ${share}`);
    assert.ok(observations.every((o) => o.faults.every((f) => f.event.type !== 'StorageWipe')));
    // A crash is a power loss; a graceful stop (even when forced after the grace period) is not.
    assert.ok(crash.every((r) => r.storageCrash));
    assert.ok(graceful.every((r) => !r.storageCrash && r.forcedMs !== undefined));
  });

  it('{0, 0, 5}: only CrashAndWipe (kill, power loss, wipe, restart)', async () => {
    const { observations } = await runAttrition(
      { maxDead: 1, probGraceful: 0, probCrash: 0, probWipe: 5, ...fast },
      { n: 3, chaosMs: 100_000, runMs: 101_000, seeds: [6] },
    );
    const reboots = parseReboots(observations[0]?.faults ?? []);
    assert.ok(reboots.length >= 20, `${reboots.length} reboots`);
    for (const r of reboots) {
      assert.equal(r.kind, 'CrashAndWipe');
      assert.ok(r.storageCrash && r.wipe && r.restartMs !== undefined);
    }
    assert.ok(observations[0]?.faults.every((f) => f.event.type !== 'ProcessGracefulShutdown'));
  });
});

// --- maxDead ---------------------------------------------------------------------------------------

describe('attrition: maxDead', () => {
  /** Runs attrition with an invariant counting dead processes after every event; returns the peak. */
  async function peakDead(
    a: Attrition,
    seeds: number[],
    process: () => Process,
  ): Promise<{ peak: number; runs: IterationRun[]; reboots: number }> {
    let control: ClusterControl | null = null;
    let peak = 0;
    let reboots = 0;
    const observations: Observation[] = [];
    const report = await quiet(new SimulationBuilder())
      .processes(5, process)
      .attrition(a)
      .chaosDuration(120_000)
      .invariantFn('at most maxDead dead', () => {
        if (control === null) return;
        const c: ClusterControl = control;
        const dead = c.processIps.filter((ip) => !c.isAlive(ip)).length;
        peak = Math.max(peak, dead);
        if (dead > a.maxDead) throw new Error(`${dead} processes dead, maxDead ${a.maxDead}`);
      })
      .workload({
        ...observer(120_000, observations),
        async setup(ctx) {
          control = ctx.cluster;
        },
      })
      .setDebugSeeds(seeds)
      .run();
    for (const o of observations) reboots += parseReboots(o.faults).length;
    return { peak, runs: report.runs, reboots };
  }

  for (const maxDead of [1, 2]) {
    it(`never more than ${maxDead} of 5 processes dead at any event, and the limit is reached (crashes)`, async () => {
      const { peak, runs, reboots } = await peakDead(
        { maxDead, probGraceful: 0, probCrash: 1, probWipe: 1, recoveryDelayMs: [6000, 10000] },
        [7, 8],
        stubborn,
      );
      for (const run of runs) assert.ok(run.ok, run.error);
      assert.equal(peak, maxDead);
      assert.ok(reboots >= 15, `${reboots} reboots`);
    });
  }

  it(
    'never more than maxDead dead when graceful reboots are mixed in (processes slow to shut down)',
    async () => {
      const { peak, runs } = await peakDead(
        {
          maxDead: 1,
          probGraceful: 1,
          probCrash: 1,
          probWipe: 0,
          gracePeriodMs: [4000, 5000],
          recoveryDelayMs: [6000, 10000],
        },
        [7, 8, 9],
        stubborn,
      );
      for (const run of runs) assert.ok(run.ok, run.error);
      assert.equal(peak, 1);
    },
  );

  it('maxDead 0: no process is ever rebooted', async () => {
    const { observations } = await runAttrition(
      { maxDead: 0, probGraceful: 1, probCrash: 1, probWipe: 1 },
      { n: 5, chaosMs: 60_000, runMs: 60_000, seeds: [10] },
    );
    const obs = observations[0] as Observation;
    assert.deepEqual(obs.faults, []);
    assert.equal(obs.life.filter((l) => l.event.what === 'boot').length, 5, 'each process booted once');
    assert.ok(obs.aliveAtEnd.every(Boolean));
  });
});

// --- what each kind does -----------------------------------------------------------------------------

describe('attrition: Graceful', () => {
  const graceful = { maxDead: 1, probGraceful: 1, probCrash: 0, probWipe: 0 } as const;

  it('signals ctx.shutdown; a process that returns is restarted (a fresh object) after the recovery delay', async () => {
    const { observations } = await runAttrition(
      { ...graceful, gracePeriodMs: [1000, 2000], recoveryDelayMs: [300, 400] },
      { n: 2, chaosMs: 60_000, runMs: 61_000, seeds: [11], process: () => new Cooperative(25) },
    );
    const obs = observations[0] as Observation;
    const reboots = parseReboots(obs.faults);
    assert.ok(reboots.length >= 8, `${reboots.length} reboots`);
    for (const r of reboots) {
      assert.equal(r.kind, 'Graceful');
      assert.equal(r.forcedMs, undefined, 'a process that returns in time is not force-killed');
      assert.ok(!r.storageCrash);
      const life = obs.life.filter((l) => l.source === r.ip);
      const shutdown = life.find((l) => l.event.what === 'shutdown' && l.timeMs >= r.startMs);
      const exit = life.find((l) => l.event.what === 'exit' && l.timeMs >= r.startMs);
      const reboot = life.find((l) => l.event.what === 'boot' && l.timeMs > r.startMs);
      assert.ok(shutdown && exit && reboot && r.restartMs !== undefined);
      assert.ok(Math.abs(shutdown.timeMs - r.startMs) < 0.01, 'the shutdown signal arrives at once');
      assert.ok(Math.abs(exit.timeMs - r.startMs - 25) < 0.01, 'the process finished its clean-up');
      inRange(r.restartMs - exit.timeMs, 300, 400, 'recovery delay after the voluntary exit');
      assert.ok(Math.abs(reboot.timeMs - r.restartMs) < 0.01, 'booted at the restart');
    }
    const boots = obs.life.filter((l) => l.event.what === 'boot');
    assert.equal(boots.length, 2 + reboots.length);
    assert.ok(boots.every((l) => l.event.runs === 1), 'every boot gets a new process object');
    assert.ok(boots.every((l) => l.event.aborted === false), 'a new incarnation starts with a fresh shutdown signal');
  });

  it('a process that ignores shutdown is force-killed when the grace period runs out', async () => {
    const { observations } = await runAttrition(
      { ...graceful, gracePeriodMs: [700, 900], recoveryDelayMs: [100, 200] },
      { n: 2, chaosMs: 40_000, runMs: 41_000, seeds: [12] },
    );
    const obs = observations[0] as Observation;
    const reboots = parseReboots(obs.faults);
    assert.ok(reboots.length >= 5);
    for (const r of reboots) {
      assert.equal(r.kind, 'Graceful');
      assert.ok(r.forcedMs !== undefined && r.restartMs !== undefined);
      inRange(r.forcedMs - r.startMs, 700, 900, 'force-kill after the grace period');
      inRange(r.restartMs - r.forcedMs, 100, 200, 'restart after the recovery delay');
    }
  });

  it('send buffers drain: a peer reads everything written at shutdown, then end of stream, no reset', async () => {
    const payload = new Uint8Array(20_000).map((_, i) => (i * 7) % 251);
    const got: { data?: Uint8Array; error?: string; eofAt?: number; shutdownAt?: number; forced?: boolean } = {};
    const sender: Process = {
      name: 'sender',
      async run(ctx) {
        const listener = await ctx.network.bind(`${ctx.myIp}:${PORT}`);
        const [s] = await listener.accept();
        await s.writeAll(bytes('hello'));
        await ctx.time.sleep(1e9, ctx.shutdown).catch(() => {});
        // Written at shutdown and still in flight (slow network) when the process returns.
        await s.writeAll(payload);
      },
    };
    const { observations } = await runAttrition(
      { ...graceful, gracePeriodMs: [3000, 4000], recoveryDelayMs: [100, 200] },
      {
        n: 1,
        chaosMs: 30_000,
        runMs: 0,
        seeds: [13],
        process: () => sender,
        configure: (b) =>
          b
            .setNetworkConfiguration(
              NetworkConfiguration.validate({
                ...NetworkConfiguration.fastLocal(),
                writeLatency: durationRange(40, 50),
              }),
            )
            .workload({
              name: 'reader',
              async run(ctx) {
                const ip = ctx.topology.processIps[0] as string;
                await ctx.time.sleep(1);
                const s = await ctx.network.connect(`${ip}:${PORT}`);
                const chunks: Uint8Array[] = [];
                try {
                  for (let c = await s.read(); c !== null; c = await s.read()) chunks.push(c);
                  got.eofAt = ctx.time.now();
                } catch (err) {
                  got.error = err instanceof IoError ? err.code : String(err);
                }
                got.data = concat(chunks);
                const faults = ctx.eventLog<FaultEvent>(FAULT_LOG).all();
                got.shutdownAt = faults.find((f) => f.event.type === 'ProcessGracefulShutdown')?.timeMs;
                got.forced = faults.some((f) => f.event.type === 'ProcessForceKill');
                s.abort();
              },
            }),
      },
    );
    assert.equal(got.error, undefined, 'no reset');
    assert.ok(got.data !== undefined && got.eofAt !== undefined && got.shutdownAt !== undefined);
    assert.equal(text(got.data.subarray(0, 5)), 'hello');
    assert.deepEqual(got.data.subarray(5), payload, 'everything written at shutdown arrived');
    assert.ok(got.eofAt >= got.shutdownAt + 40, 'the data was in flight when the process stopped');
    assert.equal(got.forced, false);
    assert.ok(parseReboots(observations[0]?.faults ?? []).length >= 1);
  });

  it('a graceful stop is not a power loss: unsynced data survives the reboot', async () => {
    const contents = await storageBoots({
      maxDead: 1,
      probGraceful: 1,
      probCrash: 0,
      probWipe: 0,
      gracePeriodMs: [10, 20],
    });
    assert.ok(contents.length >= 3);
    contents.forEach((c, k) => assert.equal(c, expectedContent(k, true), `boot ${k + 1}`));
  });
});

/** Content of the file at boot k (0-based): every earlier boot's synced part, and unsynced ones if kept. */
function expectedContent(k: number, keepUnsynced: boolean): string {
  if (k === 0) return '<none>';
  let s = '';
  for (let i = 1; i <= k; i++) s += `S${i};` + (keepUnsynced ? `U${i};` : '');
  return s;
}

/**
 * One process that, at every boot, reads its file, then appends a synced `S<n>;` and an unsynced
 * `U<n>;` (n = boot number). Returns the content seen at each boot (attrition `a` for 40 s).
 */
async function storageBoots(a: Attrition, seed = 14): Promise<string[]> {
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

describe('attrition: Crash', () => {
  it('the peer\'s connection is reset (ECONNRESET) right after the kill', async () => {
    const got: { code?: string; at?: number; killAt?: number; data?: string } = {};
    const holder: Process = {
      name: 'holder',
      async run(ctx) {
        const listener = await ctx.network.bind(`${ctx.myIp}:${PORT}`);
        const [s] = await listener.accept();
        await s.writeAll(bytes('hi'));
        await ctx.time.sleep(1e9);
      },
    };
    await runAttrition(
      { maxDead: 1, probGraceful: 0, probCrash: 1, probWipe: 0, recoveryDelayMs: [100, 200] },
      {
        n: 1,
        chaosMs: 30_000,
        runMs: 0,
        seeds: [15],
        process: () => holder,
        configure: (b) =>
          b.workload({
            name: 'reader',
            async run(ctx) {
              const ip = ctx.topology.processIps[0] as string;
              await ctx.time.sleep(1);
              const s = await ctx.network.connect(`${ip}:${PORT}`);
              let data = '';
              try {
                for (let c = await s.read(); c !== null; c = await s.read()) data += text(c);
                got.code = 'EOF';
              } catch (err) {
                got.code = err instanceof IoError ? err.code : String(err);
              }
              got.at = ctx.time.now();
              got.data = data;
              got.killAt = ctx.eventLog<FaultEvent>(FAULT_LOG).all().find((f) => f.event.type === 'ProcessForceKill')?.timeMs;
            },
          }),
      },
    );
    assert.equal(got.code, 'ECONNRESET');
    assert.equal(got.data, 'hi');
    assert.ok(got.at !== undefined && got.killAt !== undefined);
    assert.ok(got.at >= got.killAt && got.at - got.killAt < 1, `reset ${got.at} after kill ${got.killAt}`);
  });

  it('unsynced data is lost, synced data survives', async () => {
    const contents = await storageBoots({ maxDead: 1, probGraceful: 0, probCrash: 1, probWipe: 0 });
    assert.ok(contents.length >= 3, `${contents.length} boots`);
    contents.forEach((c, k) => assert.equal(c, expectedContent(k, false), `boot ${k + 1}`));
  });
});

describe('attrition: CrashAndWipe', () => {
  it('the process\'s storage is empty after every restart', async () => {
    const contents = await storageBoots({ maxDead: 1, probGraceful: 0, probCrash: 0, probWipe: 1 });
    assert.ok(contents.length >= 3, `${contents.length} boots`);
    assert.ok(contents.every((c) => c === '<none>'), `contents: ${contents.join(' | ')}`);
  });

  it('each kill wipes every file of that process: StorageCrash then StorageWipe with the file count', async () => {
    const { observations } = await runAttrition(
      { maxDead: 1, probGraceful: 0, probCrash: 0, probWipe: 1, recoveryDelayMs: [100, 200] },
      {
        n: 2,
        chaosMs: 20_000,
        runMs: 21_000,
        seeds: [16],
        process: () => ({
          name: 'writer',
          async run(ctx) {
            const f = await ctx.storage.open('/a', { write: true, create: true });
            await f.writeAt(0, bytes('x'));
            await f.syncAll();
            await ctx.storage.open('/b', { write: true, create: true });
            await ctx.time.sleep(1e9);
          },
        }),
      },
    );
    const faults = observations[0]?.faults ?? [];
    const reboots = parseReboots(faults);
    assert.ok(reboots.length >= 3, `${reboots.length} reboots`);
    for (const r of reboots) {
      assert.equal(r.kind, 'CrashAndWipe');
      const atKill = faults.filter((f) => f.timeMs === r.forcedMs && 'ip' in f.event && f.event.ip === r.ip);
      assert.deepEqual(
        atKill.map((f) => f.event.type),
        ['ProcessForceKill', 'StorageCrash', 'StorageWipe'],
      );
      const wipe = atKill[2]?.event;
      assert.ok(wipe?.type === 'StorageWipe' && wipe.files === 2, JSON.stringify(wipe));
    }
  });
});

// --- chaos phase only ------------------------------------------------------------------------------

describe('attrition: only during the chaos phase', () => {
  it('no reboot starts after chaosDuration; reboots under way still complete', async () => {
    const { observations } = await runAttrition(
      { maxDead: 2, probGraceful: 1, probCrash: 1, probWipe: 1 },
      { n: 5, chaosMs: 20_000, runMs: 50_000, seeds: [17, 18] },
    );
    for (const obs of observations) {
      const reboots = parseReboots(obs.faults);
      assert.ok(reboots.length >= 2, `${reboots.length} reboots`);
      assert.ok(reboots.every((r) => r.startMs <= 20_000), `starts: ${reboots.map((r) => r.startMs).join(',')}`);
      assert.ok(reboots.every((r) => r.restartMs !== undefined), 'every reboot completed');
      assert.ok(obs.aliveAtEnd.every(Boolean));
    }
  });

  it('chaos ends early when the workloads finish: no reboot afterwards, the iteration does not wait', async () => {
    const { observations, runs } = await runAttrition(
      { maxDead: 2, probGraceful: 0, probCrash: 1, probWipe: 0, recoveryDelayMs: [100, 200] },
      { n: 3, chaosMs: 1_000_000, runMs: 15_000, seeds: [19] },
    );
    const reboots = parseReboots(observations[0]?.faults ?? []);
    assert.ok(reboots.length >= 2);
    assert.ok(reboots.every((r) => r.startMs <= 15_000));
    assert.ok((runs[0] as IterationRun).simTimeMs < 20_000, `${(runs[0] as IterationRun).simTimeMs} ms`);
  });

  it('processes are never rebooted without the attrition (chaosDuration alone injects nothing)', async () => {
    const observations: Observation[] = [];
    const report = await quiet(new SimulationBuilder())
      .processes(3, stubborn)
      .chaosDuration(30_000)
      .workload(observer(30_000, observations))
      .setDebugSeeds([20])
      .run();
    assert.equal(report.failedRuns, 0);
    assert.ok(observations[0]?.faults.every((f) => !isProcessFault(f.event)));
  });
});

// --- determinism -----------------------------------------------------------------------------------

describe('attrition: determinism', () => {
  async function trace(seed: number): Promise<{ hash: string; faults: string }> {
    const observations: Observation[] = [];
    const report = await new SimulationBuilder()
      .processes(4, () => new Cooperative(5))
      .attrition({ maxDead: 2, probGraceful: 1, probCrash: 1, probWipe: 1, recoveryDelayMs: [500, 3000] })
      .chaosDuration(30_000)
      .workload(observer(31_000, observations))
      .workload({
        name: 'pinger',
        async run(ctx) {
          // Some network traffic with the default (chaotic) network, to and from rebooting processes.
          for (let i = 0; i < 30; i++) {
            const ip = ctx.topology.processIps[i % 4] as string;
            await ctx.time.timeout(50, ctx.network.connect(`${ip}:${PORT}`)).then((s: Stream) => s.abort(), () => {});
            await ctx.time.sleep(ctx.random.randomRange(100, 1000));
          }
        },
      })
      .setDebugSeeds([seed])
      .run();
    const run = report.runs[0] as IterationRun;
    assert.ok(run.ok, run.error);
    return { hash: run.traceHash, faults: JSON.stringify(observations[0]?.faults) };
  }

  it('same seed: same trace hash and same fault timeline; another seed: a different run', async () => {
    const a = await trace(21);
    const b = await trace(21);
    const c = await trace(22);
    assert.equal(a.hash, b.hash);
    assert.equal(a.faults, b.faults);
    assert.ok(JSON.parse(a.faults).length > 5, 'attrition injected faults');
    assert.notEqual(a.hash, c.hash);
    assert.notEqual(a.faults, c.faults);
  });
});

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
