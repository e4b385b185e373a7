// The simulated storage's performance model, power loss, wipe, handle invalidation, killed machines
// and determinism.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IoError, type StorageFile } from '@moonpool/core';
import { durationRange } from '../../src/config/duration-range.js';
import { StorageConfiguration, storageConfiguration } from '../../src/config/storage-configuration.js';
import { Executor } from '../../src/kernel/executor.js';
import { describeFailure } from '../../src/kernel/failure.js';
import { Machine } from '../../src/kernel/machine.js';
import { spawnTask } from '../../src/kernel/tasks.js';
import { SimWorld } from '../../src/kernel/world.js';
import { SimTimeProvider } from '../../src/providers/sim-time.js';
import type { StorageFaultEvent } from '../../src/chaos/fault-events.js';
import { SimStorage } from '../../src/storage/sim-storage.js';
import { SimStorageProvider } from '../../src/storage/sim-storage-provider.js';

const IP = '10.0.0.1';

interface Env {
  world: SimWorld;
  storage: SimStorage;
  disk: SimStorageProvider;
  time: SimTimeProvider;
  faults: StorageFaultEvent[];
  /** A provider of another machine, `ip`, on the same storage. */
  machine(ip: string, kind?: 'process' | 'workload'): { process: Machine; disk: SimStorageProvider };
}

/** Runs `main` as the only task of a fresh world with one storage; returns the world for its trace hash. */
async function simulate(
  main: (env: Env) => Promise<void>,
  config: StorageConfiguration = StorageConfiguration.fastLocal(),
  seed: bigint = 1n,
): Promise<SimWorld> {
  const world = new SimWorld(seed);
  const faults: StorageFaultEvent[] = [];
  const storage = new SimStorage(world.rng, { config, onFault: (e) => faults.push(e) });
  const machine = (ip: string, kind: 'process' | 'workload' = 'workload') => {
    const process = new Machine(ip, ip, kind);
    world.addMachine(process);
    return { process, disk: new SimStorageProvider(world, process, storage) };
  };
  const main0 = machine(IP);
  const time = new SimTimeProvider(world, main0.process);
  const env: Env = { world, storage, disk: main0.disk, time, faults, machine };
  const task = spawnTask(world, main0.process, 'main', () => main(env));
  const { failure } = await new Executor(world).run(task.join());
  if (failure !== null) assert.fail(describeFailure(failure));
  return world;
}

const bytes = (n: number, fill: number): Uint8Array => new Uint8Array(n).fill(fill);

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (err: unknown) => err instanceof IoError && err.code === code);
}

/** Simulated ms `op` takes. */
async function timed(env: Env, op: () => Promise<unknown>): Promise<number> {
  const start = env.time.now();
  await op();
  return env.time.now() - start;
}

describe('storage: latency model', () => {
  const slow = storageConfiguration({
    iops: 1_000_000,
    bandwidth: 1e12,
    readLatency: durationRange(1, 2),
    writeLatency: durationRange(3, 4),
    syncLatency: durationRange(10, 20),
  });

  it('each operation takes its sampled latency, within the configured bounds', async () => {
    await simulate(async (env) => {
      const file = await env.disk.open('f', { read: true, write: true, create: true });
      for (let i = 0; i < 50; i++) {
        const read = await timed(env, () => file.readAt(0, 8));
        assert.ok(read >= 1 && read <= 2.01, `read took ${read} ms`);
        const write = await timed(env, () => file.writeAt(i, bytes(8, i)));
        assert.ok(write >= 3 && write <= 4.01, `write took ${write} ms`);
        const sync = await timed(env, () => file.syncAll());
        assert.ok(sync >= 10 && sync <= 20.01, `sync took ${sync} ms`);
        const meta = await timed(env, () => file.size());
        assert.ok(meta >= 1 && meta <= 2.01, `size took ${meta} ms`);
      }
    }, slow);
  });

  it('transfers take bytes / bandwidth', async () => {
    await simulate(async (env) => {
      const file = await env.disk.open('big', { read: true, write: true, create: true });
      const write = await timed(env, () => file.writeAt(0, bytes(1_000_000, 1)));
      assert.ok(write >= 1000 && write < 1001, `1 MB at 1 MB/s took ${write} ms`);
      const read = await timed(env, () => file.readAt(0, 500_000));
      assert.ok(read >= 500 && read < 501, `0.5 MB at 1 MB/s took ${read} ms`);
    }, storageConfiguration({ ...StorageConfiguration.fastLocal(), bandwidth: 1_000_000 }));
  });

  it('fastLocal is fast', async () => {
    await simulate(async (env) => {
      const file = await env.disk.open('f', { read: true, write: true, create: true });
      const took = await timed(env, async () => {
        for (let i = 0; i < 100; i++) {
          await file.write(bytes(100, i));
          await file.syncData();
        }
      });
      assert.ok(took < 1, `200 fastLocal operations took ${took} ms`);
    });
  });

  it('operations of one machine are serialised 1/iops apart; other machines are not held up', async () => {
    await simulate(async (env) => {
      const file = await env.disk.open('f', { read: true, write: true, create: true });
      const other = await env.machine('10.0.0.2').disk.open('g', { write: true, create: true });
      const concurrent = await timed(env, () =>
        Promise.all(Array.from({ length: 100 }, (_, i) => file.writeAt(i, bytes(1, i)))),
      );
      assert.ok(concurrent >= 99 && concurrent < 101, `100 concurrent writes took ${concurrent} ms`);
      const sequential = await timed(env, async () => {
        for (let i = 0; i < 100; i++) await file.readAt(i, 1);
      });
      assert.ok(sequential >= 99 && sequential < 101, `100 sequential reads took ${sequential} ms`);
      const elsewhere = await timed(env, () => other.writeAt(0, bytes(1, 1)));
      assert.ok(elsewhere < 1, `another machine's write waited ${elsewhere} ms`);
    }, storageConfiguration({ ...StorageConfiguration.fastLocal(), iops: 1000 }));
  });
});

describe('storage: power loss', () => {
  const tearing = storageConfiguration({ ...StorageConfiguration.fastLocal(), crashFaultProbability: 1 });

  it('synced data survives, unsynced data is lost when crashFaultProbability is 0', async () => {
    await simulate(async (env) => {
      const file = await env.disk.open('f', { read: true, write: true, create: true });
      await file.writeAt(0, bytes(4096, 1));
      await file.syncAll();
      await file.writeAt(1000, bytes(100, 2));
      await file.writeAt(4096, bytes(4096, 3));
      await file.setLen(10_000);
      env.storage.simulateCrashForProcess(IP);
      const reopened = await env.disk.open('f', { read: true });
      assert.deepEqual(await reopened.readAt(0, 100_000), bytes(4096, 1));
      const crash = env.faults.at(-1);
      assert.deepEqual(crash, {
        type: 'StorageCrash', ip: IP, files: 1, unsyncedOps: 3, tornOps: 0, lostOps: 3, phantomWrites: 0,
      });
    });
  });

  it('torn writes only touch unsynced ranges: synced data survives crashFaultProbability 1', async () => {
    await simulate(async (env) => {
      let partial = 0;
      for (let round = 0; round < 50; round++) {
        const file = await env.disk.open(`f${round}`, { read: true, write: true, create: true });
        await file.writeAt(0, bytes(8192, 1));
        await file.syncData();
        await file.writeAt(4096, bytes(4096, 2));
        await file.writeAt(8192, bytes(4096, 3));
        env.storage.simulateCrashForProcess(IP);
        const after = await (await env.disk.open(`f${round}`, { read: true })).readAt(0, 1 << 20);
        assert.deepEqual(after.subarray(0, 4096), bytes(4096, 1), 'synced, never overwritten');
        const overwritten = after.subarray(4096, 8192);
        assert.ok(overwritten.every((b) => b === 1 || b === 2));
        // Sectors of the appended write persist independently: the ones that did not are holes (zeros).
        assert.ok(after.subarray(8192).every((b) => b === 3 || b === 0), 'only the appended write extends the file');
        if (overwritten.includes(1) && overwritten.includes(2)) partial++;
      }
      assert.ok(partial >= 35, `only ${partial} of 50 overwrites were torn`);
    }, tearing);
  });

  it('a crash invalidates open handles, even mid-operation; closeFiles = false keeps them', async () => {
    await simulate(async (env) => {
      const file = await env.disk.open('f', { read: true, write: true, create: true });
      await file.writeAt(0, bytes(10, 1));
      await file.syncAll();
      const inFlight = file.writeAt(0, bytes(10, 9));
      env.storage.simulateCrashForProcess(IP);
      await rejectsWith(inFlight, 'EBADF');
      await rejectsWith(file.readAt(0, 1), 'EBADF');
      await rejectsWith(file.syncAll(), 'EBADF');
      await rejectsWith(file.close(), 'EBADF');
      const kept = await env.disk.open('f', { read: true, write: true });
      await kept.writeAt(0, bytes(5, 2));
      env.storage.simulateCrashForProcess(IP, false);
      assert.deepEqual(await kept.readAt(0, 20), bytes(10, 1));
      await kept.close();
    });
  });

  it('files created and deleted before the crash stay so; data of unsynced new files is gone', async () => {
    await simulate(async (env) => {
      const created = await env.disk.open('created', { write: true, create: true });
      await created.write(bytes(10, 1));
      await (await env.disk.open('deleted', { write: true, create: true })).close();
      await env.disk.delete('deleted');
      env.storage.simulateCrashForProcess(IP);
      assert.deepEqual(env.storage.paths(IP), ['/created']);
      assert.equal(await (await env.disk.open('created', { read: true })).size(), 0);
    });
  });
});

describe('storage: wipe', () => {
  it('deletes every file of one machine at once, invalidating its handles, and nothing else', async () => {
    await simulate(async (env) => {
      const other = env.machine('10.0.0.2');
      const mine = await env.disk.open('a', { read: true, write: true, create: true });
      await mine.write(bytes(10, 1));
      await mine.syncAll();
      await (await env.disk.open('dir/b', { write: true, create: true })).close();
      const theirs = await other.disk.open('a', { read: true, write: true, create: true });
      await theirs.write(bytes(10, 2));
      const before = env.time.now();
      env.storage.wipeStorageForProcess(IP);
      assert.equal(env.time.now(), before);
      assert.deepEqual(env.storage.paths(IP), []);
      assert.equal(await env.disk.exists('a'), false);
      await rejectsWith(mine.readAt(0, 1), 'EBADF');
      assert.deepEqual(await theirs.readAt(0, 100), bytes(10, 2));
      assert.deepEqual(env.storage.paths('10.0.0.2'), ['/a']);
      assert.deepEqual(env.faults.at(-1), { type: 'StorageWipe', ip: IP, files: 2 });
    });
  });
});

describe('storage: killed machines', () => {
  it("a killed incarnation's pending and later operations never complete; the next one works", async () => {
    await simulate(async (env) => {
      const { process, disk } = env.machine('10.0.0.2', 'process');
      const file = await disk.open('f', { read: true, write: true, create: true });
      await file.writeAt(0, bytes(10, 1));
      let settled = 0;
      const watch = (p: Promise<unknown>) => p.then(() => settled++, () => settled++);
      watch(file.writeAt(0, bytes(10, 2)));
      watch(file.syncAll());
      process.kill();
      watch(file.readAt(0, 10));
      watch(disk.exists('f'));
      watch(disk.open('g', { write: true, create: true }));
      watch(file.readAt(-1, 1));
      await env.time.sleep(1000);
      assert.equal(settled, 0);
      process.revive();
      env.storage.simulateCrashForProcess('10.0.0.2');
      const reopened = await disk.open('f', { read: true });
      assert.deepEqual(await reopened.readAt(0, 100), new Uint8Array(0), 'the killed write never landed');
      assert.equal(settled, 0);
    });
  });
});

describe('storage: configuration', () => {
  it('per-machine overrides are validated and used', async () => {
    await simulate(async (env) => {
      const slowIp = '10.0.0.2';
      env.storage.setProcessStorageConfig(slowIp, storageConfiguration({ readLatency: durationRange(50, 50) }));
      assert.throws(
        () => env.storage.setProcessStorageConfig(IP, { ...StorageConfiguration.default(), iops: 0 }),
        RangeError,
      );
      const slow = await env.machine(slowIp).disk.open('f', { read: true, write: true, create: true });
      const fast = await env.disk.open('f', { read: true, write: true, create: true });
      assert.ok(Math.abs((await timed(env, () => slow.size())) - 50) < 1e-9);
      assert.ok((await timed(env, () => fast.size())) < 1);
      assert.equal(env.storage.storageConfigFor(slowIp).readLatency.minMs, 50);
    });
  });
});

describe('storage: determinism', () => {
  const chaotic = storageConfiguration({
    readFaultProbability: 0.2,
    writeFaultProbability: 0.2,
    crashFaultProbability: 0.5,
    misdirectWriteProbability: 0.2,
    misdirectReadProbability: 0.2,
    phantomWriteProbability: 0.2,
    syncFailureProbability: 0.2,
  });

  async function scenario(seed: bigint): Promise<string> {
    const log: string[] = [];
    const world = await simulate(async (env) => {
      const files: StorageFile[] = [];
      for (let i = 0; i < 4; i++) files.push(await env.disk.open(`f${i}`, { read: true, write: true, create: true }));
      await Promise.all(
        files.map(async (file, i) => {
          for (let j = 0; j < 40; j++) {
            await file.write(bytes(300, i * 40 + j));
            if (j % 5 === 4) await file.syncAll().catch((e: IoError) => log.push(e.code));
          }
        }),
      );
      env.storage.simulateCrashForProcess(IP);
      for (let i = 0; i < 4; i++) {
        const file = await env.disk.open(`f${i}`, { read: true });
        log.push(Buffer.from(await file.readAt(0, 1 << 20)).toString('base64'));
      }
      log.push(JSON.stringify(env.faults), String(env.time.now()));
    }, chaotic, seed);
    return `${log.join('|')}|${world.trace.hex()}`;
  }

  it('the same seed gives the same content, faults, timing and trace', async () => {
    const a = await scenario(42n);
    assert.equal(await scenario(42n), a);
    assert.notEqual(await scenario(43n), a);
  });
});
