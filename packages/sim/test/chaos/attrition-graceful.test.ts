// Graceful reboots by attrition: ctx.shutdown is signalled, a process that returns is restarted
// fresh after the recovery delay, one that does not is force-killed after the grace period, send
// buffers drain and unsynced data survives.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IoError } from '@moonpool/core';
import { NetworkConfiguration } from '../../src/config/network-configuration.js';
import { durationRange } from '../../src/config/duration-range.js';
import type { Process } from '../../src/engine/context.js';
import { FAULT_LOG, type FaultEvent } from '../../src/chaos/fault-events.js';
import { bytes, concat, text } from '../support/bytes.js';
import {
  Cooperative,
  expectedContent,
  inRange,
  type Observation,
  parseReboots,
  PORT,
  runAttrition,
  storageBoots,
} from '../support/attrition.js';

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
