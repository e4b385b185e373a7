// Reboots from a fault injector: each kind, with given or default delays, visible in isAlive and on
// the fault timeline.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FAULT_LOG, type FaultEvent } from '../../src/chaos/fault-events.js';
import type { EventLogEntry } from '../../src/engine/event-logs.js';
import {
  ECHO,
  events,
  type FaultEntry,
  injector,
  P1,
  P2,
  P3,
  P4,
  P5,
  quiet,
  sleeper,
} from '../support/fault-injector-helpers.js';

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
