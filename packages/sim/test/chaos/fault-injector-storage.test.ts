// Storage faults from a fault injector: a storage crash loses unsynced data, a wipe deletes everything,
// and both close the open handles.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IoError } from '@moonpool/core';
import type { Process } from '../../src/engine/context.js';
import { FAULT_LOG, type FaultEvent } from '../../src/chaos/fault-events.js';
import { bytes, text } from '../support/bytes.js';
import { events, type FaultEntry, injector, P1, P2, P3, quiet } from '../support/fault-injector-helpers.js';

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
