// The seven storage faults: each is observable at probability 1, absent at 0, and close to its rate
// at 0.3 over 2 000 operations (bounds of about five standard deviations).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IoError, type StorageFile } from '@moonpool/core';
import { StorageConfiguration, storageConfiguration } from '../../src/config/storage-configuration.js';
import { Executor } from '../../src/kernel/executor.js';
import { describeFailure } from '../../src/kernel/failure.js';
import { Machine } from '../../src/kernel/machine.js';
import { spawnTask } from '../../src/kernel/tasks.js';
import { SimWorld } from '../../src/kernel/world.js';
import type { StorageFaultEvent } from '../../src/chaos/fault-events.js';
import { SimStorage } from '../../src/storage/sim-storage.js';
import { SimStorageProvider } from '../../src/storage/sim-storage-provider.js';

const IP = '10.0.0.1';
const BLOCK = 16;
const RATE_OPS = 2000;

interface Env {
  storage: SimStorage;
  disk: SimStorageProvider;
  faults: StorageFaultEvent[];
  /** Switches this machine's disk to fastLocal plus `faults`. */
  configure(faults: Partial<StorageConfiguration>): void;
}

async function simulate(main: (env: Env) => Promise<void>, seed = 3n): Promise<void> {
  const world = new SimWorld(seed);
  const faults: StorageFaultEvent[] = [];
  const config = StorageConfiguration.fastLocal();
  const storage = new SimStorage(world.rng, { config, onFault: (e) => faults.push(e) });
  const owner = new Machine(IP, 'main', 'workload');
  world.addMachine(owner);
  const configure = (extra: Partial<StorageConfiguration>): void =>
    storage.setProcessStorageConfig(IP, storageConfiguration({ ...StorageConfiguration.fastLocal(), ...extra }));
  const env: Env = { storage, disk: new SimStorageProvider(world, owner, storage), faults, configure };
  const task = spawnTask(world, owner, 'main', () => main(env));
  const { failure } = await new Executor(world).run(task.join());
  if (failure !== null) assert.fail(describeFailure(failure));
}

/** Deterministic, non-repeating content: no two 16-byte windows are alike. */
function pattern(length: number, salt = 1): Uint8Array {
  const out = new Uint8Array(length);
  let x = 0x9e3779b9 ^ salt;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

function bitsDiffering(a: Uint8Array, b: Uint8Array): number {
  let bits = 0;
  for (let i = 0; i < a.length; i++) {
    let x = (a[i] as number) ^ (b[i] as number);
    for (; x !== 0; x &= x - 1) bits++;
  }
  return bits;
}

/** A synced file of `blocks` patterned blocks, written fault-free. */
async function prepared(env: Env, path: string, blocks: number): Promise<[StorageFile, Uint8Array]> {
  const content = pattern(blocks * BLOCK);
  const file = await env.disk.open(path, { read: true, write: true, create: true });
  await file.writeAt(0, content);
  await file.syncAll();
  return [file, content];
}

const faultsOf = (env: Env, type: string, fault?: string): StorageFaultEvent[] =>
  env.faults.filter((e) => e.type === type && (fault === undefined || ('fault' in e && e.fault === fault)));

/** Asserts `count` of `ops` trials is what `probability` predicts: exact at 0 and 1, near it otherwise. */
function assertRate(count: number, ops: number, probability: number, what: string): void {
  if (probability === 0 || probability === 1) {
    assert.equal(count, ops * probability, `${what}: ${count} of ${ops}`);
    return;
  }
  const mean = ops * probability;
  const slack = 5 * Math.sqrt(ops * probability * (1 - probability));
  assert.ok(Math.abs(count - mean) <= slack, `${what}: ${count} of ${ops}, expected about ${mean}`);
}

const CASES: [probability: number, ops: number][] = [[0, 300], [1, 300], [0.3, RATE_OPS]];

describe('storage faults', () => {
  for (const [p, ops] of CASES) {
    it(`read corruption at ${p}: one flipped bit in the returned bytes, stored data intact`, async () => {
      await simulate(async (env) => {
        const [file, content] = await prepared(env, 'f', ops);
        env.configure({ readFaultProbability: p });
        let corrupted = 0;
        for (let i = 0; i < ops; i++) {
          const got = await file.readAt(i * BLOCK, BLOCK);
          const bits = bitsDiffering(got, content.subarray(i * BLOCK, (i + 1) * BLOCK));
          assert.ok(bits <= 1);
          corrupted += bits;
        }
        assertRate(corrupted, ops, p, 'corrupted reads');
        assert.equal(faultsOf(env, 'StorageReadFault', 'corruption').length, corrupted);
        env.configure({});
        assert.deepEqual(await file.readAt(0, content.length), content);
      });
    });

    it(`misdirected reads at ${p}: bytes of another offset`, async () => {
      await simulate(async (env) => {
        const [file, content] = await prepared(env, 'f', ops);
        env.configure({ misdirectReadProbability: p });
        let misdirected = 0;
        for (let i = 0; i < ops; i++) {
          const got = await file.readAt(i * BLOCK, BLOCK);
          if (bitsDiffering(got, content.subarray(i * BLOCK, (i + 1) * BLOCK)) === 0) continue;
          misdirected++;
          const fault = env.faults.at(-1);
          assert.ok(fault?.type === 'StorageReadFault' && fault.actualPosition !== undefined);
          const from = fault.actualPosition;
          assert.notEqual(from, i * BLOCK);
          const expected = new Uint8Array(BLOCK);
          expected.set(content.subarray(from, from + BLOCK));
          assert.deepEqual(got, expected);
        }
        assertRate(misdirected, ops, p, 'misdirected reads');
        assert.equal(faultsOf(env, 'StorageReadFault', 'misdirect').length, misdirected);
      });
    });

    it(`write corruption at ${p}: the stored bytes differ by one bit`, async () => {
      await simulate(async (env) => {
        const file = await env.disk.open('f', { read: true, write: true, create: true });
        env.configure({ writeFaultProbability: p });
        let corrupted = 0;
        for (let i = 0; i < ops; i++) {
          const data = pattern(BLOCK, i + 1);
          await file.writeAt(i * BLOCK, data);
          const bits = bitsDiffering(await file.readAt(i * BLOCK, BLOCK), data);
          assert.ok(bits <= 1);
          corrupted += bits;
        }
        assertRate(corrupted, ops, p, 'corrupted writes');
        assert.equal(faultsOf(env, 'StorageWriteFault', 'corruption').length, corrupted);
      });
    });

    it(`misdirected writes at ${p}: the data lands at another offset`, async () => {
      await simulate(async (env) => {
        const [file] = await prepared(env, 'f', ops);
        env.configure({ misdirectWriteProbability: p });
        let misdirected = 0;
        for (let i = 0; i < ops; i++) {
          const data = pattern(BLOCK, i + 7);
          const sizeBefore = await file.size();
          await file.writeAt(i * BLOCK, data);
          if (bitsDiffering(await file.readAt(i * BLOCK, BLOCK), data) === 0) continue;
          misdirected++;
          const fault = env.faults.at(-1);
          assert.ok(fault?.type === 'StorageWriteFault' && fault.actualPosition !== undefined);
          assert.ok(fault.actualPosition <= sizeBefore, 'starts within the file');
          assert.deepEqual(await file.readAt(fault.actualPosition, BLOCK), data);
        }
        assertRate(misdirected, ops, p, 'misdirected writes');
        assert.equal(faultsOf(env, 'StorageWriteFault', 'misdirect').length, misdirected);
      });
    });

    it(`phantom writes at ${p}: reported durable, gone after a crash`, async () => {
      await simulate(async (env) => {
        const [file, content] = await prepared(env, 'f', ops);
        env.configure({ phantomWriteProbability: p });
        for (let i = 0; i < ops; i++) {
          await file.writeAt(i * BLOCK, pattern(BLOCK, i + 3));
          await file.syncData();
        }
        assert.deepEqual(await file.readAt(BLOCK, BLOCK), pattern(BLOCK, 4), 'readable until the crash');
        env.storage.simulateCrashForProcess(IP);
        const after = await (await env.disk.open('f', { read: true })).readAt(0, ops * BLOCK);
        let vanished = 0;
        for (let i = 0; i < ops; i++) {
          const block = after.subarray(i * BLOCK, (i + 1) * BLOCK);
          if (bitsDiffering(block, pattern(BLOCK, i + 3)) === 0) continue;
          assert.deepEqual(block, content.subarray(i * BLOCK, (i + 1) * BLOCK), 'the old content is back');
          vanished++;
        }
        assertRate(vanished, ops, p, 'phantom writes');
        assert.equal(faultsOf(env, 'StorageWriteFault', 'phantom').length, vanished);
      });
    });

    it(`sync failures at ${p}: EIO, and the data stays unsynced`, async () => {
      await simulate(async (env) => {
        const file = await env.disk.open('f', { read: true, write: true, create: true });
        env.configure({ syncFailureProbability: p });
        let failed = 0;
        for (let i = 0; i < ops; i++) {
          await file.writeAt(i * BLOCK, pattern(BLOCK, i + 5));
          try {
            await file.syncAll();
          } catch (err) {
            assert.ok(err instanceof IoError && err.code === 'EIO');
            failed++;
          }
        }
        assertRate(failed, ops, p, 'failed syncs');
        assert.equal(faultsOf(env, 'StorageSyncFault').length, failed);
        if (p === 1) {
          env.storage.simulateCrashForProcess(IP);
          assert.equal(await (await env.disk.open('f', { read: true })).size(), 0, 'nothing was ever synced');
        }
      });
    });

    it(`torn writes at ${p}: unsynced writes partly persist at a crash`, async () => {
      const size = 4096;
      const writes = ops / 4;
      await simulate(async (env) => {
        const file = await env.disk.open('f', { read: true, write: true, create: true });
        await file.writeAt(0, new Uint8Array(writes * size));
        await file.syncAll();
        env.configure({ crashFaultProbability: p });
        for (let i = 0; i < writes; i++) await file.writeAt(i * size, new Uint8Array(size).fill(1));
        env.storage.simulateCrashForProcess(IP);
        const after = await (await env.disk.open('f', { read: true })).readAt(0, writes * size);
        assert.equal(after.length, writes * size);
        let touched = 0;
        for (let i = 0; i < writes; i++) if (after.subarray(i * size, (i + 1) * size).includes(1)) touched++;
        const crash = env.faults.at(-1);
        assert.ok(crash?.type === 'StorageCrash');
        assertRate(crash.tornOps, writes, p, 'torn writes');
        assert.equal(crash.tornOps + crash.lostOps, writes);
        // A torn write persists nothing only when its prefix is empty or no sector made it (rare).
        assert.ok(touched <= crash.tornOps && touched >= crash.tornOps * 0.97, `${touched} of ${crash.tornOps}`);
      });
    });
  }
});
