// Custom fault injectors (SPEC §4.7, §4.8): what a FaultContext offers during the chaos phase, how
// its faults show (a workload's connection stalling, files lost, the `sim:faults` timeline), and the
// end of the chaos phase (chaosShutdown, later calls ignored, partitions healed).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IoError, SimulationError } from '@moonpool/core';
import { NetworkConfiguration } from '../src/config/network-configuration.js';
import { StorageConfiguration } from '../src/config/storage-configuration.js';
import type { IterationRun } from '../src/report/simulation-report.js';
import { SimulationBuilder } from '../src/builder/builder.js';
import type { Process, Workload } from '../src/engine/context.js';
import type { FaultContext, FaultInjector } from '../src/chaos/fault-injector.js';
import { FAULT_LOG, type FaultEvent } from '../src/chaos/fault-events.js';
import type { EventLogEntry } from '../src/engine/event-logs.js';

// --- helpers ---------------------------------------------------------------------------------------

type FaultEntry = EventLogEntry<FaultEvent>;

const PORT = 7100;
const W = '10.0.0.1';
const P1 = '10.0.1.1';
const P2 = '10.0.1.2';
const P3 = '10.0.1.3';
const P4 = '10.0.1.4';
const P5 = '10.0.1.5';
const ECHO = 'test:echo';
/** Round trip on the fastLocal network (latencies of 1–10 µs): well below this. */
const FAST_MS = 0.1;

const enc = new TextEncoder();
const dec = new TextDecoder();
const bytes = (s: string): Uint8Array => enc.encode(s);
const text = (b: Uint8Array): string => dec.decode(b);

/** fastLocal network and storage: no chaos but the injector's. */
function quiet(): SimulationBuilder {
  return new SimulationBuilder()
    .setNetworkConfiguration(NetworkConfiguration.fastLocal())
    .setStorageConfiguration(StorageConfiguration.fastLocal());
}

function injector(name: string, inject: (f: FaultContext) => Promise<void>): FaultInjector {
  return { name, inject };
}

/** Echoes every byte back and records its arrival on the `ECHO` timeline. */
function echoServer(): Process {
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
function sleeper(): Process {
  return {
    name: 'sleeper',
    async run(ctx) {
      ctx.emit(ECHO, -1); // marks a boot
      await ctx.time.sleep(1e9);
    },
  };
}

interface Ping {
  byte: number;
  sentAt: number;
  backAt?: number;
  error?: string;
}

interface Outcome {
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
async function pingRun(
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

const near = (x: number | undefined, at: number): boolean => x !== undefined && x >= at - 1e-9 && x < at + FAST_MS;

/** Pings sent in [from, to): there is exactly one (it blocks the loop); returns it. */
function blockedPing(pings: readonly Ping[], from: number, to: number): Ping {
  const inside = pings.filter((p) => p.sentAt >= from && p.sentAt < to);
  assert.equal(inside.length, 1, `pings sent in [${from}, ${to}): ${JSON.stringify(inside)}`);
  return inside[0] as Ping;
}

/** Every ping outside [from, to] made a fast round trip. */
function othersFast(pings: readonly Ping[], blocked: Ping): void {
  const others = pings.filter((p) => p !== blocked);
  assert.ok(others.length > 20, `${others.length} other pings`);
  for (const p of others) {
    assert.ok(p.backAt !== undefined && p.backAt - p.sentAt < FAST_MS, `ping ${JSON.stringify(p)} was slow`);
  }
}

/** Arrival time at the server of the ping's byte. */
function arrival(o: Outcome, ping: Ping): number | undefined {
  return o.echoes.find((e) => e.event === ping.byte && e.timeMs >= ping.sentAt)?.timeMs;
}

const events = (faults: readonly FaultEntry[]): Array<[number, FaultEvent]> => faults.map((f) => [f.timeMs, f.event]);

// --- topology --------------------------------------------------------------------------------------

describe('fault injectors: topology', () => {
  it('processIps lists the processes only; ipsTagged follows builder.tags (round-robin per dimension)', async () => {
    const seen: Record<string, unknown> = {};
    let fromWorkload: unknown = null;
    const report = await quiet()
      .processes(5, sleeper)
      .tags([
        ['role', ['leader', 'follower']],
        ['dc', ['east', 'west', 'eu']],
      ])
      .fault(
        injector('topology', async (f) => {
          seen.processIps = [...f.processIps];
          for (const [k, v] of [
            ['role', 'leader'],
            ['role', 'follower'],
            ['dc', 'east'],
            ['dc', 'west'],
            ['dc', 'eu'],
            ['dc', 'mars'],
            ['zone', 'a'],
          ] as const) {
            seen[`${k}=${v}`] = f.ipsTagged(k, v);
          }
        }),
      )
      .chaosDuration(100)
      .workload({
        name: 'w',
        async run(ctx) {
          fromWorkload = ctx.topology.ipsTagged('dc', 'west');
          await ctx.time.sleep(10);
        },
      })
      .setDebugSeeds([1])
      .run();
    assert.equal(report.failedRuns, 0);
    assert.deepEqual(seen, {
      processIps: [P1, P2, P3, P4, P5],
      'role=leader': [P1, P3, P5],
      'role=follower': [P2, P4],
      'dc=east': [P1, P4],
      'dc=west': [P2, P5],
      'dc=eu': [P3],
      'dc=mars': [],
      'zone=a': [],
    });
    assert.deepEqual(fromWorkload, [P2, P5], 'the same targeting as the workloads see');
  });
});

// --- reboots ---------------------------------------------------------------------------------------

describe('fault injectors: reboot(ip, kind)', () => {
  it('Crash, CrashAndWipe and Graceful reboots with given or default delays, visible in isAlive and sim:faults', async () => {
    const alive: Record<string, boolean[]> = {};
    let faults: FaultEntry[] = [];
    let boots: EventLogEntry<number>[] = [];
    const report = await quiet()
      .processes(5, sleeper)
      .fault(
        injector('rebooter', async (f) => {
          await f.time.sleep(100);
          f.reboot(P1, 'Crash', { recoveryDelayMs: 500 });
          f.reboot(P2, 'CrashAndWipe', { recoveryDelayMs: 500 });
          f.reboot(P3, 'Graceful', { gracePeriodMs: 200, recoveryDelayMs: 500 });
          f.reboot(P4, 'Crash');
          f.reboot(P1, 'Graceful'); // already under way: ignored
          alive.at100 = f.processIps.map((ip) => f.isAlive(ip));
          await f.time.sleep(250);
          alive.at350 = f.processIps.map((ip) => f.isAlive(ip));
          await f.time.sleep(500);
          alive.at850 = f.processIps.map((ip) => f.isAlive(ip));
        }),
      )
      .chaosDuration(20_000)
      .workload({
        name: 'w',
        async run(ctx) {
          await ctx.time.sleep(12_000);
        },
        async check(ctx) {
          faults = [...ctx.eventLog<FaultEvent>(FAULT_LOG).all()];
          boots = [...ctx.eventLog<number>(ECHO).all()];
        },
      })
      .setDebugSeeds([3])
      .run();
    assert.equal(report.failedRuns, 0, report.runs[0]?.error);
    assert.deepEqual(alive, {
      at100: [false, false, true, false, true], // P3 is in its grace period
      at350: [false, false, false, false, true],
      at850: [true, true, true, false, true],
    });
    const p4Restart = faults.find((f) => f.event.type === 'ProcessRestart' && f.event.ip === P4)?.timeMs ?? NaN;
    assert.ok(p4Restart >= 1100 && p4Restart < 10_100, `default recovery delay: restart at ${p4Restart}`);
    const storage = { files: 0, unsyncedOps: 0, tornOps: 0, lostOps: 0, phantomWrites: 0 };
    assert.deepEqual(
      events(faults.filter((f) => f.event.type !== 'ProcessRestart' || f.event.ip !== P4)),
      [
        [100, { type: 'ProcessForceKill', ip: P1 }],
        [100, { type: 'StorageCrash', ip: P1, ...storage }],
        [100, { type: 'ProcessForceKill', ip: P2 }],
        [100, { type: 'StorageCrash', ip: P2, ...storage }],
        [100, { type: 'StorageWipe', ip: P2, files: 0 }],
        [100, { type: 'ProcessGracefulShutdown', ip: P3 }],
        [100, { type: 'ProcessForceKill', ip: P4 }],
        [100, { type: 'StorageCrash', ip: P4, ...storage }],
        [300, { type: 'ProcessForceKill', ip: P3 }],
        [600, { type: 'ProcessRestart', ip: P1 }],
        [600, { type: 'ProcessRestart', ip: P2 }],
        [800, { type: 'ProcessRestart', ip: P3 }],
      ],
    );
    // Each restart boots the process again.
    const bootsOf = (ip: string): number[] => boots.filter((b) => b.source === ip).map((b) => b.timeMs);
    assert.deepEqual(bootsOf(P1), [0, 600]);
    assert.deepEqual(bootsOf(P3), [0, 800]);
    assert.deepEqual(bootsOf(P4), [0, p4Restart]);
    assert.deepEqual(bootsOf(P5), [0]);
  });
});

// --- partitions ------------------------------------------------------------------------------------

describe('fault injectors: partitions', () => {
  it('partitionPair(workload, process, ms): the ping in the window waits for the heal, both ways', async () => {
    let at = 0;
    const o = await pingRun(
      async (f) => {
        await f.time.sleep(200);
        at = f.time.now();
        f.partitionPair(W, P1, 300);
      },
      { chaosMs: 2000, runMs: 1000 },
    );
    assert.equal(at, 200);
    const ping = blockedPing(o.pings, 200, 500);
    assert.ok(near(arrival(o, ping), 500), `arrived at ${arrival(o, ping)}`);
    assert.ok(near(ping.backAt, 500), `back at ${ping.backAt}`);
    othersFast(o.pings, ping);
    assert.deepEqual(events(o.faults), [
      [200, { type: 'PartitionCreated', from: W, to: P1, untilMs: 500 }],
      [500, { type: 'PartitionHealed', from: W, to: P1 }],
    ]);
  });

  it('partitionSendFrom(process): requests arrive, replies wait for the heal', async () => {
    const o = await pingRun(
      async (f) => {
        await f.time.sleep(200);
        f.partitionSendFrom(P1, 300);
      },
      { chaosMs: 2000, runMs: 1000 },
    );
    const ping = blockedPing(o.pings, 200, 500);
    const arrived = arrival(o, ping);
    assert.ok(arrived !== undefined && arrived - ping.sentAt < FAST_MS, `arrived at ${arrived}`);
    assert.ok(near(ping.backAt, 500), `back at ${ping.backAt}`);
    othersFast(o.pings, ping);
    assert.deepEqual(events(o.faults), [
      [200, { type: 'SendPartitionCreated', ip: P1, untilMs: 500 }],
      [500, { type: 'PartitionHealed', from: P1, to: '*' }],
    ]);
  });

  it('partitionRecvTo(process): requests wait for the heal, then the reply comes at once', async () => {
    const o = await pingRun(
      async (f) => {
        await f.time.sleep(200);
        f.partitionRecvTo(P1, 300);
      },
      { chaosMs: 2000, runMs: 1000 },
    );
    const ping = blockedPing(o.pings, 200, 500);
    assert.ok(near(arrival(o, ping), 500), `arrived at ${arrival(o, ping)}`);
    assert.ok(near(ping.backAt, 500), `back at ${ping.backAt}`);
    othersFast(o.pings, ping);
    assert.deepEqual(events(o.faults), [
      [200, { type: 'RecvPartitionCreated', ip: P1, untilMs: 500 }],
      [500, { type: 'PartitionHealed', from: '*', to: P1 }],
    ]);
  });

  it('partitions without a duration last until healAll, which heals every rule at once', async () => {
    const o = await pingRun(
      async (f) => {
        await f.time.sleep(200);
        f.partitionPair(W, P1);
        f.partitionSendFrom(P2);
        f.partitionRecvTo(P2);
        await f.time.sleep(400);
        f.healAll();
      },
      { chaosMs: 2000, runMs: 1000, processes: 2 },
    );
    const ping = blockedPing(o.pings, 200, 600);
    assert.ok(near(arrival(o, ping), 600), `arrived at ${arrival(o, ping)}`);
    assert.ok(near(ping.backAt, 600), `back at ${ping.backAt}`);
    othersFast(o.pings, ping);
    assert.deepEqual(events(o.faults), [
      [200, { type: 'PartitionCreated', from: W, to: P1, untilMs: null }],
      [200, { type: 'SendPartitionCreated', ip: P2, untilMs: null }],
      [200, { type: 'RecvPartitionCreated', ip: P2, untilMs: null }],
      [600, { type: 'PartitionHealed', from: W, to: P1 }],
      [600, { type: 'PartitionHealed', from: P2, to: '*' }],
      [600, { type: 'PartitionHealed', from: '*', to: P2 }],
    ]);
  });

  it('a partition between two other machines does not touch the workload\'s connection', async () => {
    const o = await pingRun(
      async (f) => {
        await f.time.sleep(200);
        f.partitionPair(P1, P2, 300);
      },
      { chaosMs: 2000, runMs: 1000, processes: 2 },
    );
    assert.ok(o.pings.length > 30);
    assert.ok(o.pings.every((p) => p.backAt !== undefined && p.backAt - p.sentAt < FAST_MS));
    assert.equal(o.faults.length, 2);
  });
});

// --- half-open connections -------------------------------------------------------------------------

describe('fault injectors: simulatePeerCrash', () => {
  it('the process vanishes from its connections: the workload\'s writes go into the void, then ECONNRESET later', async () => {
    let stillAlive: boolean | null = null;
    const o = await pingRun(
      async (f) => {
        await f.time.sleep(200);
        f.simulatePeerCrash(P1, 1000);
        stillAlive = f.isAlive(P1);
      },
      { chaosMs: 5000, runMs: 3000 },
    );
    assert.equal(stillAlive, true, 'a half-open connection is not a process crash');
    const last = o.pings[o.pings.length - 1] as Ping;
    assert.ok(last.sentAt >= 200 && last.sentAt < 220, `last ping sent at ${last.sentAt}`);
    assert.equal(last.error, 'ECONNRESET');
    assert.ok(near(last.backAt, 1200), `error at ${last.backAt}`);
    assert.equal(arrival(o, last), undefined, 'the write vanished');
    assert.ok(o.pings.slice(0, -1).every((p) => p.error === undefined && p.sentAt < 200));
    assert.deepEqual(events(o.faults), [
      [200, { type: 'PeerCrash', ip: P1 }],
      [1200, { type: 'HalfOpenError', connection: 0, ip: W }], // the only connection: id 0
    ]);
  });
});

// --- storage ---------------------------------------------------------------------------------------

describe('fault injectors: storage', () => {
  interface After {
    oldHandle: string;
    exists: boolean;
    content: string | null;
  }

  it('simulateStorageCrash loses unsynced data and closes handles; wipeStorage deletes everything', async () => {
    const after = new Map<string, After>();
    let faults: FaultEntry[] = [];
    const disk: Process = {
      name: 'disk',
      async run(ctx) {
        const f = await ctx.storage.open('/data', { read: true, write: true, create: true });
        await f.writeAt(0, bytes('AAAA'));
        await f.syncAll();
        await f.writeAt(4, bytes('BBBB'));
        await ctx.time.sleep(500);
        const oldHandle = await f.readAt(0, 100).then(text, (err: unknown) => (err as IoError).code);
        const exists = await ctx.storage.exists('/data');
        let content: string | null = null;
        if (exists) {
          const g = await ctx.storage.open('/data', { read: true });
          content = text(await g.readAt(0, 100));
          await g.close();
        }
        after.set(ctx.myIp, { oldHandle, exists, content });
      },
    };
    const report = await quiet()
      .processes(3, () => disk)
      .fault(
        injector('disks', async (f) => {
          await f.time.sleep(200);
          f.simulateStorageCrash(P1);
          f.wipeStorage(P2);
        }),
      )
      .chaosDuration(1000)
      .workload({
        name: 'w',
        async run(ctx) {
          await ctx.time.sleep(1000);
        },
        async check(ctx) {
          faults = [...ctx.eventLog<FaultEvent>(FAULT_LOG).all()];
        },
      })
      .setDebugSeeds([4])
      .run();
    assert.equal(report.failedRuns, 0, report.runs[0]?.error);
    assert.deepEqual(Object.fromEntries(after), {
      [P1]: { oldHandle: 'EBADF', exists: true, content: 'AAAA' },
      [P2]: { oldHandle: 'EBADF', exists: false, content: null },
      [P3]: { oldHandle: 'AAAABBBB', exists: true, content: 'AAAABBBB' },
    });
    assert.deepEqual(events(faults), [
      [200, { type: 'StorageCrash', ip: P1, files: 1, unsyncedOps: 1, tornOps: 0, lostOps: 1, phantomWrites: 0 }],
      [200, { type: 'StorageWipe', ip: P2, files: 1 }],
    ]);
  });
});

// --- time and random -------------------------------------------------------------------------------

describe('fault injectors: time and random', () => {
  async function draws(seed: number): Promise<{ slept: number; values: number[] }> {
    const out = { slept: NaN, values: [] as number[] };
    const report = await quiet()
      .processes(1, sleeper)
      .fault(
        injector('dice', async (f) => {
          const t0 = f.time.now();
          await f.time.sleep(250);
          out.slept = f.time.now() - t0;
          for (let i = 0; i < 5; i++) out.values.push(f.random.randomRange(0, 1_000_000));
          out.values.push(f.random.random(), f.random.randomRatio());
        }),
      )
      .chaosDuration(1000)
      .workload({
        name: 'w',
        async run(ctx) {
          await ctx.time.sleep(300);
        },
      })
      .setDebugSeeds([seed])
      .run();
    assert.equal(report.failedRuns, 0);
    return out;
  }

  it('time advances with the simulation; random draws come from the seed', async () => {
    const a = await draws(5);
    const b = await draws(5);
    const c = await draws(6);
    assert.equal(a.slept, 250);
    assert.equal(a.values.length, 7);
    assert.ok(a.values.slice(0, 5).every((v) => Number.isInteger(v) && v >= 0 && v < 1_000_000));
    assert.ok(a.values.slice(5).every((v) => v >= 0 && v < 1));
    assert.deepEqual(a, b, 'same seed, same draws');
    assert.notDeepEqual(a.values, c.values, 'another seed, other draws');
  });
});

// --- end of the chaos phase ------------------------------------------------------------------------

describe('fault injectors: end of the chaos phase', () => {
  async function shutdownTime(
    chaosMs: number,
    runMs: number,
  ): Promise<{ sleepEnd: number; listener: number; run: IterationRun }> {
    const got = { sleepEnd: NaN, listener: NaN };
    const report = await quiet()
      .processes(1, sleeper)
      .fault(
        injector('sleepy', async (f) => {
          assert.equal(f.chaosShutdown.aborted, false);
          await f.time.sleep(1e9, f.chaosShutdown).catch(() => {});
          assert.equal(f.chaosShutdown.aborted, true);
          got.sleepEnd = f.time.now();
        }),
      )
      .fault(
        injector('listening', async (f) => {
          await new Promise<void>((resolve) => f.chaosShutdown.addEventListener('abort', () => resolve()));
          got.listener = f.time.now();
        }),
      )
      .chaosDuration(chaosMs)
      .workload({
        name: 'w',
        async run(ctx) {
          await ctx.time.sleep(runMs);
        },
      })
      .setDebugSeeds([7])
      .run();
    const run = report.runs[0] as IterationRun;
    assert.ok(run.ok, run.error);
    return { ...got, run };
  }

  it('chaosShutdown is aborted exactly when chaosDuration has passed', async () => {
    const r = await shutdownTime(700, 2000);
    assert.equal(r.sleepEnd, 700);
    assert.equal(r.listener, 700);
    assert.ok(r.run.simTimeMs >= 2000);
  });

  it('or earlier, when every workload has finished', async () => {
    const r = await shutdownTime(5000, 300);
    assert.equal(r.sleepEnd, 300);
    assert.equal(r.listener, 300);
    assert.ok(r.run.simTimeMs < 1000, `${r.run.simTimeMs} ms`);
  });

  it('calls after the end do nothing, even from an injector that ignores chaosShutdown', async () => {
    let chaosEnd = NaN;
    let timeWorks = false;
    const aliveAfter: boolean[] = [];
    const o = await pingRun(
      async (f) => {
        await f.time.sleep(1e9, f.chaosShutdown).catch(() => {});
        chaosEnd = f.time.now();
        for (let i = 0; i < 5; i++) {
          f.reboot(P1, 'Crash', { recoveryDelayMs: 10 });
          f.reboot(P2, 'CrashAndWipe');
          f.reboot(P2, 'Graceful', { gracePeriodMs: 1 });
          f.partitionPair(W, P1);
          f.partitionSendFrom(P1);
          f.partitionRecvTo(P1);
          f.simulatePeerCrash(P1, 1);
          f.simulateStorageCrash(P2);
          f.wipeStorage(P2);
          f.healAll();
          await f.time.sleep(50);
          aliveAfter.push(f.isAlive(P1), f.isAlive(P2));
        }
        timeWorks = true;
      },
      { chaosMs: 300, runMs: 800, processes: 2 },
    );
    assert.equal(chaosEnd, 300);
    assert.ok(timeWorks, 'time still works for the injector after the end');
    assert.ok(aliveAfter.length === 10 && aliveAfter.every(Boolean), 'nobody was rebooted');
    assert.deepEqual(o.faults, [], 'no fault of any kind');
    assert.ok(o.pings.length > 30);
    assert.ok(o.pings.every((p) => p.backAt !== undefined && p.backAt - p.sentAt < FAST_MS && p.error === undefined));
  });

  it('network faults stop: partitions still in force are healed at the end (PartitionHealed), none later', async () => {
    let lateCall = false;
    const o = await pingRun(
      async (f) => {
        await f.time.sleep(100);
        f.partitionPair(W, P1);
        f.partitionRecvTo(P2, 10_000);
        await f.time.sleep(1e9, f.chaosShutdown).catch(() => {});
        f.partitionPair(W, P1, 100);
        lateCall = true;
      },
      { chaosMs: 400, runMs: 12_000, gapMs: 200, processes: 2 },
    );
    assert.ok(lateCall);
    const ping = blockedPing(o.pings, 100, 400);
    assert.ok(near(ping.backAt, 400), `back at ${ping.backAt}`);
    othersFast(o.pings, ping);
    assert.deepEqual(events(o.faults), [
      [100, { type: 'PartitionCreated', from: W, to: P1, untilMs: null }],
      [100, { type: 'RecvPartitionCreated', ip: P2, untilMs: 10_100 }],
      [400, { type: 'PartitionHealed', from: W, to: P1 }],
      [400, { type: 'PartitionHealed', from: '*', to: P2 }],
    ]);
  });
});

// --- failures and configuration --------------------------------------------------------------------

describe('fault injectors: failures and configuration', () => {
  for (const [how, inject] of [
    [
      'rejects',
      async (f: FaultContext): Promise<void> => {
        await f.time.sleep(100);
        throw new Error('boom at 100');
      },
    ],
    [
      'throws synchronously',
      (): Promise<void> => {
        throw new Error('boom at once');
      },
    ],
  ] as const) {
    it(`an injector that ${how} fails the iteration; the error names the injector`, async () => {
      let finished = false;
      const report = await quiet()
        .processes(1, sleeper)
        .fault(injector('exploder', inject))
        .chaosDuration(10_000)
        .workload({
          name: 'w',
          async run(ctx) {
            await ctx.time.sleep(5000);
            finished = true;
          },
        })
        .setDebugSeeds([8])
        .run();
      const run = report.runs[0] as IterationRun;
      assert.equal(run.ok, false);
      assert.equal(report.failedRuns, 1);
      assert.match(run.error ?? '', /fault:exploder/);
      assert.match(run.error ?? '', /boom at/);
      assert.equal(finished, false, 'the iteration stopped at the failure');
      assert.ok(run.simTimeMs <= 100, `${run.simTimeMs} ms`);
    });
  }

  it('fault() without chaosDuration: run() rejects with a SimulationError naming chaosDuration', async () => {
    let injected = false;
    const b = quiet()
      .processes(1, sleeper)
      .fault(
        injector('never', async () => {
          injected = true;
        }),
      )
      .workload({ name: 'w', run: async () => {} });
    await assert.rejects(b.run(), (err: unknown) => {
      assert.ok(err instanceof SimulationError, String(err));
      assert.match(err.message, /chaosDuration/);
      return true;
    });
    assert.equal(injected, false);
    const report = await b.chaosDuration(50).setDebugSeeds([1]).run();
    assert.equal(report.failedRuns, 0);
    assert.equal(injected, true);
  });

  it('several injectors run concurrently, each as its own task', async () => {
    const log: string[] = [];
    const report = await quiet()
      .processes(1, sleeper)
      .fault(
        injector('a', async (f) => {
          for (let i = 0; i < 3; i++) {
            await f.time.sleep(100);
            log.push(`a@${f.time.now()}`);
          }
        }),
      )
      .fault(
        injector('b', async (f) => {
          for (let i = 0; i < 2; i++) {
            await f.time.sleep(150);
            log.push(`b@${f.time.now()}`);
          }
        }),
      )
      .chaosDuration(1000)
      .workload({
        name: 'w',
        async run(ctx) {
          await ctx.time.sleep(500);
        },
      })
      .setDebugSeeds([9])
      .run();
    assert.equal(report.failedRuns, 0);
    // Equal times run in the order the sleeps were scheduled (b's at 150, a's at 200).
    assert.deepEqual(log, ['a@100', 'b@150', 'a@200', 'b@300', 'a@300']);
  });
});
