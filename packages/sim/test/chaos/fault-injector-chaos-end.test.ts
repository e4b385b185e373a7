// The end of the chaos phase for fault injectors: chaosShutdown is aborted when chaosDuration has
// passed or every workload has finished; later calls do nothing and partitions still in force heal.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IterationRun } from '../../src/report/simulation-report.js';
import {
  blockedPing,
  events,
  FAST_MS,
  injector,
  near,
  othersFast,
  P1,
  P2,
  pingRun,
  quiet,
  sleeper,
  W,
} from '../support/fault-injector-helpers.js';

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
