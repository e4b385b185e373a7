// Crash and CrashAndWipe reboots by attrition: peers see their connections reset, unsynced data is
// lost, and a wipe empties the process's storage.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IoError } from '@moonpool/core';
import type { Process } from '../../src/engine/context.js';
import { FAULT_LOG, type FaultEvent } from '../../src/chaos/fault-events.js';
import { bytes, text } from '../support/bytes.js';
import { expectedContent, parseReboots, PORT, runAttrition, storageBoots } from '../support/attrition.js';

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
