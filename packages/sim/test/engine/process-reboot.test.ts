import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Process, SimContext } from '../../src/engine/context.js';
import type { RebootKind, RebootOptions } from '../../src/chaos/reboot.js';
import { FAULT_LOG, type ProcessFaultEvent as FaultEvent } from '../../src/chaos/fault-events.js';
import type { EventLogEntry } from '../../src/engine/event-logs.js';
import { expectOk, runOnce, workload } from '../support/builder-helpers.js';

interface LogEntry {
  incarnation: number;
  what: string;
  t: number;
}

interface Scenario {
  log: LogEntry[];
  faults: EventLogEntry<FaultEvent>[];
  factoryCalls: number;
  rebootAt: number[];
  shutdownAbortedAtBoot: boolean[];
}

/**
 * One process built by `behaviour`, and a driver that reboots it at 250 ms (and again at `secondAt`
 * if given), then waits long enough for it to come back.
 */
async function scenario(
  behaviour: (incarnation: number, log: LogEntry[]) => Process['run'],
  kind: RebootKind,
  options: RebootOptions | undefined,
  opts: { seed?: bigint; secondAt?: number; waitMs?: number } = {},
): Promise<Scenario> {
  const s: Scenario = {
    log: [],
    faults: [],
    factoryCalls: 0,
    rebootAt: [],
    shutdownAbortedAtBoot: [],
  };
  const run = await runOnce(
    (b) =>
      b
        .processes(1, () => {
          const incarnation = ++s.factoryCalls;
          const body = behaviour(incarnation, s.log);
          return {
            name: 'srv',
            run: (ctx: SimContext) => {
              s.shutdownAbortedAtBoot.push(ctx.shutdown.aborted);
              s.log.push({ incarnation, what: 'boot', t: ctx.time.now() });
              return body(ctx);
            },
          };
        })
        .workload(
          workload('driver', async (ctx) => {
            const ip = ctx.topology.processIps[0] as string;
            await ctx.time.sleep(250);
            s.rebootAt.push(ctx.time.now());
            ctx.cluster.reboot(ip, kind, options);
            if (opts.secondAt !== undefined) {
              await ctx.time.sleep(opts.secondAt);
              s.rebootAt.push(ctx.time.now());
              ctx.cluster.reboot(ip, kind, options);
            }
            await ctx.time.sleep(opts.waitMs ?? 20_000);
            // Process lifecycle entries only (a crash also records the machine's StorageCrash).
            s.faults = ctx
              .eventLog<FaultEvent>(FAULT_LOG)
              .all()
              .filter((f) => f.event.type.startsWith('Process'));
          }),
        ),
    opts.seed ?? 1n,
  );
  expectOk(run);
  return s;
}

/** A process that logs every 100 ms (plus buggified delays) and has a long sleep pending. */
const ticking =
  (incarnation: number, log: LogEntry[]): Process['run'] =>
  async (ctx) => {
    ctx.task.spawn('long', async () => {
      await ctx.time.sleep(400);
      log.push({ incarnation, what: 'long sleep woke', t: ctx.time.now() });
    });
    for (;;) {
      await ctx.time.sleep(100);
      log.push({ incarnation, what: 'tick', t: ctx.time.now() });
      await ctx.task.yieldNow();
      log.push({ incarnation, what: 'yielded', t: ctx.time.now() });
    }
  };

function faultSummary(s: Scenario): string[] {
  return s.faults.map((f) => `${f.event.type} ${f.event.ip} @${f.timeMs} from ${f.source}`);
}

function assertIncreasingSeq(s: Scenario): void {
  for (let i = 1; i < s.faults.length; i++) {
    assert.ok(
      (s.faults[i] as EventLogEntry<FaultEvent>).seq >
        (s.faults[i - 1] as EventLogEntry<FaultEvent>).seq,
      'fault seq increases',
    );
  }
}

describe('process reboot: crash', () => {
  it('a crashed process never runs again, and its restart calls the factory again', async () => {
    for (const seed of [1n, 2n, 3n]) {
      const s = await scenario(ticking, 'Crash', { recoveryDelayMs: 1000 }, { seed });
      const crashAt = s.rebootAt[0] as number;
      assert.equal(crashAt >= 250 && crashAt <= 350, true, `${crashAt}`);
      assert.equal(s.factoryCalls, 2);
      const first = s.log.filter((e) => e.incarnation === 1);
      const second = s.log.filter((e) => e.incarnation === 2);
      assert.ok(
        first.some((e) => e.what === 'tick'),
        'the first incarnation ran before the crash',
      );
      for (const e of first)
        assert.ok(e.t <= crashAt, `incarnation 1 ran after the crash: ${JSON.stringify(e)}`);
      assert.ok(
        !first.some((e) => e.what === 'long sleep woke'),
        "the killed process's pending sleep resolved",
      );
      assert.deepEqual(second[0], { incarnation: 2, what: 'boot', t: crashAt + 1000 });
      assert.ok(second.some((e) => e.what === 'long sleep woke'));
      assert.ok(second.filter((e) => e.what === 'tick').length > 50);
      assert.deepEqual(faultSummary(s), [
        `ProcessForceKill 10.0.1.1 @${crashAt} from sim`,
        `ProcessRestart 10.0.1.1 @${crashAt + 1000} from sim`,
      ]);
      assertIncreasingSeq(s);
      assert.deepEqual(s.shutdownAbortedAtBoot, [false, false]);
    }
  });

  it('each reboot builds a fresh instance; default recovery delay is within [1 s, 10 s)', async () => {
    const s = await scenario(ticking, 'Crash', undefined, { secondAt: 12_000, waitMs: 12_000 });
    assert.equal(s.factoryCalls, 3);
    const boots = s.log.filter((e) => e.what === 'boot');
    assert.deepEqual(
      boots.map((b) => b.incarnation),
      [1, 2, 3],
    );
    for (let i = 0; i < 2; i++) {
      const delay = (boots[i + 1] as LogEntry).t - (s.rebootAt[i] as number);
      assert.ok(delay >= 1000 && delay < 10_000, `recovery ${delay}`);
    }
    assert.deepEqual(
      s.faults.map((f) => f.event.type),
      ['ProcessForceKill', 'ProcessRestart', 'ProcessForceKill', 'ProcessRestart'],
    );
    assertIncreasingSeq(s);
    // Incarnation 2 stopped at the second crash.
    const second = s.log.filter((e) => e.incarnation === 2);
    for (const e of second) assert.ok(e.t <= (s.rebootAt[1] as number));
  });
});

describe('process reboot: graceful', () => {
  it('aborts ctx.shutdown; a process that returns promptly restarts after the recovery delay', async () => {
    const s = await scenario(
      (incarnation, log) => async (ctx) => {
        await ctx.time.sleep(1e9, ctx.shutdown).catch(() => {});
        log.push({
          incarnation,
          what: `exiting aborted=${ctx.shutdown.aborted}`,
          t: ctx.time.now(),
        });
      },
      'Graceful',
      { gracePeriodMs: 5000, recoveryDelayMs: 1500 },
    );
    const at = s.rebootAt[0] as number;
    assert.equal(s.factoryCalls, 2);
    assert.deepEqual(s.log, [
      { incarnation: 1, what: 'boot', t: 0 },
      { incarnation: 1, what: 'exiting aborted=true', t: at },
      { incarnation: 2, what: 'boot', t: at + 1500 },
    ]);
    assert.deepEqual(faultSummary(s), [
      `ProcessGracefulShutdown 10.0.1.1 @${at} from sim`,
      `ProcessRestart 10.0.1.1 @${at + 1500} from sim`,
    ]);
    assertIncreasingSeq(s);
    assert.deepEqual(
      s.shutdownAbortedAtBoot,
      [false, false],
      'the new incarnation gets a fresh signal',
    );
  });

  it('a process that ignores shutdown is force-killed after the grace period', async () => {
    const s = await scenario(ticking, 'Graceful', { gracePeriodMs: 500, recoveryDelayMs: 1000 });
    const at = s.rebootAt[0] as number;
    // Simulated time is whole microseconds: round the sum as the simulator does.
    const msAfter = (t: number, ms: number): number => Math.round((t + ms) * 1000) / 1000;
    const killAt = msAfter(at, 500);
    assert.equal(s.factoryCalls, 2);
    const first = s.log.filter((e) => e.incarnation === 1);
    assert.ok(
      first.some((e) => e.what === 'tick' && e.t > at),
      'the process kept running during the grace period',
    );
    for (const e of first)
      assert.ok(e.t <= killAt, `ran after the force kill: ${JSON.stringify(e)}`);
    const second = s.log.filter((e) => e.incarnation === 2);
    assert.deepEqual(second[0], { incarnation: 2, what: 'boot', t: msAfter(killAt, 1000) });
    assert.deepEqual(faultSummary(s), [
      `ProcessGracefulShutdown 10.0.1.1 @${at} from sim`,
      `ProcessForceKill 10.0.1.1 @${killAt} from sim`,
      `ProcessRestart 10.0.1.1 @${msAfter(killAt, 1000)} from sim`,
    ]);
    assertIncreasingSeq(s);
  });

  it('default grace period is within [2 s, 5 s)', async () => {
    const s = await scenario(ticking, 'Graceful', { recoveryDelayMs: 1000 });
    const at = s.rebootAt[0] as number;
    const kill = s.faults.find((f) => f.event.type === 'ProcessForceKill');
    assert.ok(kill);
    const grace = kill.timeMs - at;
    assert.ok(grace >= 2000 && grace < 5000, `grace ${grace}`);
  });
});
