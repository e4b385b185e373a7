// The StorageProvider contract, run unchanged against NodeStorageProvider (a temporary directory) and
// SimStorageProvider (fault-free defaults): the simulation must fail and succeed where Node does.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { IoError, NodeStorageProvider, type StorageProvider } from '@moonpool/core';
import { Executor } from '../../src/kernel/executor.js';
import { describeFailure } from '../../src/kernel/failure.js';
import { Machine } from '../../src/kernel/machine.js';
import { spawnTask } from '../../src/kernel/tasks.js';
import { SimWorld } from '../../src/kernel/world.js';
import { SimStorage } from '../../src/storage/sim-storage.js';
import { SimStorageProvider } from '../../src/storage/sim-storage-provider.js';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const decode = (data: Uint8Array): string => new TextDecoder().decode(data);

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (err: unknown) => err instanceof IoError && err.code === code);
}

/** Creates `path` holding `content`, through the provider itself. */
async function put(storage: StorageProvider, path: string, content: string): Promise<void> {
  const file = await storage.open(path, { write: true, create: true, truncate: true });
  await file.write(text(content));
  await file.close();
}

async function contents(storage: StorageProvider, path: string): Promise<string> {
  const file = await storage.open(path, { read: true });
  const data = await file.readAt(0, 1 << 20);
  await file.close();
  return decode(data);
}

const contract: Record<string, (storage: StorageProvider) => Promise<void>> = {
  async 'open: missing files, create and createNew'(storage) {
    await rejectsWith(storage.open('missing', { read: true }), 'ENOENT');
    await rejectsWith(storage.open('missing', { read: true, write: true }), 'ENOENT');
    await rejectsWith(storage.open('missing', { write: true, truncate: true }), 'ENOENT');
    const created = await storage.open('fresh', { read: true, write: true, create: true });
    assert.equal(await created.size(), 0);
    await created.close();
    await rejectsWith(storage.open('fresh', { write: true, createNew: true }), 'EEXIST');
    const exclusive = await storage.open('exclusive', { write: true, createNew: true });
    await exclusive.close();
    assert.equal(await storage.exists('exclusive'), true);
  },

  async 'open: create keeps existing content, truncate empties it'(storage) {
    await put(storage, 'keep', 'content');
    const kept = await storage.open('keep', { read: true, write: true, create: true });
    assert.equal(decode(await kept.read(100)), 'content');
    await kept.close();
    const emptied = await storage.open('keep', { write: true, truncate: true });
    assert.equal(await emptied.size(), 0);
    await emptied.close();
  },

  async 'open: access modes are enforced'(storage) {
    await put(storage, 'modes', 'abc');
    const readOnly = await storage.open('modes', { read: true });
    await rejectsWith(readOnly.write(text('x')), 'EBADF');
    await rejectsWith(readOnly.writeAt(0, text('x')), 'EBADF');
    await rejectsWith(readOnly.setLen(1), 'EINVAL');
    await readOnly.syncAll();
    await readOnly.syncData();
    await readOnly.close();
    const writeOnly = await storage.open('modes', { write: true });
    await rejectsWith(writeOnly.read(1), 'EBADF');
    await rejectsWith(writeOnly.readAt(0, 1), 'EBADF');
    assert.equal(await writeOnly.size(), 3);
    await writeOnly.close();
    await rejectsWith(storage.open('modes', {}), 'EINVAL');
    await rejectsWith(storage.open('modes', { read: true, create: true }), 'EINVAL');
    await rejectsWith(storage.open('modes', { read: true, createNew: true }), 'EINVAL');
    await rejectsWith(storage.open('modes', { read: true, truncate: true }), 'EINVAL');
    assert.equal(await contents(storage, 'modes'), 'abc');
  },

  async 'positioned reads and writes'(storage) {
    const file = await storage.open('positioned', { read: true, write: true, create: true });
    await file.writeAt(0, text('hello world'));
    await file.writeAt(6, text('W'));
    assert.equal(decode(await file.readAt(6, 5)), 'World');
    assert.equal(decode(await file.readAt(8, 100)), 'rld');
    assert.equal((await file.readAt(100, 10)).length, 0);
    await file.writeAt(13, text('!'));
    assert.deepEqual(await file.readAt(11, 3), new Uint8Array([0, 0, 33]));
    await assert.rejects(file.readAt(-1, 1), RangeError);
    await assert.rejects(file.readAt(0, 1.5), RangeError);
    await assert.rejects(file.writeAt(-1, text('x')), RangeError);
    await file.close();
  },

  async 'cursor reads and writes'(storage) {
    const file = await storage.open('cursor', { read: true, write: true, create: true });
    await file.write(text('abc'));
    await file.write(text('def'));
    assert.equal(file.seek(1), 1);
    assert.equal(decode(await file.read(2)), 'bc');
    assert.equal(decode(await file.read(100)), 'def');
    assert.equal((await file.read(1)).length, 0);
    file.seek(2);
    await file.write(text('X'));
    assert.equal(decode(await file.read(1)), 'd');
    assert.equal(decode(await file.readAt(0, 6)), 'abXdef');
    assert.throws(() => file.seek(-1), RangeError);
    await file.close();
  },

  async 'append mode writes at the end but positioned writes stay put'(storage) {
    await put(storage, 'log', 'one;');
    const file = await storage.open('log', { read: true, append: true });
    await file.write(text('two;'));
    file.seek(0);
    await file.write(text('three;'));
    await file.writeAt(0, text('ONE'));
    await file.close();
    assert.equal(await contents(storage, 'log'), 'ONE;two;three;');
  },

  async 'size, setLen, sync and close'(storage) {
    const file = await storage.open('sized', { read: true, write: true, create: true });
    await file.writeAt(0, text('0123456789'));
    assert.equal(await file.size(), 10);
    await file.setLen(4);
    assert.equal(await file.size(), 4);
    assert.equal(decode(await file.readAt(0, 10)), '0123');
    await file.setLen(6);
    assert.deepEqual(await file.readAt(4, 10), new Uint8Array([0, 0]));
    await assert.rejects(file.setLen(-1), RangeError);
    await file.syncData();
    await file.syncAll();
    await file.close();
    await file.close();
    await rejectsWith(file.size(), 'EBADF');
    await rejectsWith(file.readAt(0, 1), 'EBADF');
    await rejectsWith(file.writeAt(0, text('x')), 'EBADF');
    await rejectsWith(file.syncAll(), 'EBADF');
    await rejectsWith(file.setLen(0), 'EBADF');
  },

  async 'exists, delete and rename'(storage) {
    assert.equal(await storage.exists('moved'), false);
    await (await storage.open('moving', { write: true, createNew: true })).close();
    await storage.rename('moving', 'moved');
    assert.equal(await storage.exists('moving'), false);
    assert.equal(await storage.exists('moved'), true);
    await storage.rename('moved', 'moved');
    assert.equal(await storage.exists('moved'), true);
    await storage.delete('moved');
    assert.equal(await storage.exists('moved'), false);
    await rejectsWith(storage.delete('moved'), 'ENOENT');
    await rejectsWith(storage.rename('moved', 'elsewhere'), 'ENOENT');
    assert.equal(await storage.exists('no-such-dir/file'), false);
  },

  async 'rename replaces the target; paths are normalised'(storage) {
    await put(storage, 'old', 'old content');
    await put(storage, 'new', 'new content');
    await storage.rename('new', './old');
    assert.equal(await contents(storage, 'old'), 'new content');
    assert.equal(await storage.exists('new'), false);
    assert.equal(await storage.exists('sub/../old'), true);
  },

  async 'a deleted file stays usable through its open handles'(storage) {
    await put(storage, 'doomed', 'still here');
    const file = await storage.open('doomed', { read: true, write: true });
    await storage.delete('doomed');
    assert.equal(await storage.exists('doomed'), false);
    assert.equal(decode(await file.readAt(0, 100)), 'still here');
    await file.writeAt(0, text('STILL'));
    assert.equal(decode(await file.readAt(0, 100)), 'STILL here');
    await file.close();
  },

  async 'buffers are copied on write and on read'(storage) {
    const file = await storage.open('copies', { read: true, write: true, create: true });
    const data = text('abc');
    await file.writeAt(0, data);
    data[0] = 0x7a;
    const read = await file.readAt(0, 3);
    assert.equal(decode(read), 'abc');
    read[1] = 0x7a;
    assert.equal(decode(await file.readAt(0, 3)), 'abc');
    await file.close();
  },
};

/** Runs `check` as the only task of a fresh simulated world and fails with the world's failure. */
async function inSimulation(check: (storage: StorageProvider) => Promise<void>): Promise<void> {
  const world = new SimWorld(7n);
  const owner = new Machine('10.0.0.1', 'main', 'workload');
  world.addMachine(owner);
  const storage = new SimStorageProvider(world, owner, new SimStorage(world.rng));
  const task = spawnTask(world, owner, 'main', () => check(storage));
  const { failure } = await new Executor(world).run(task.join());
  if (failure !== null) assert.fail(describeFailure(failure));
}

async function onNode(check: (storage: StorageProvider) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'moonpool-contract-'));
  try {
    await check(new NodeStorageProvider(dir));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

for (const [name, run] of [['NodeStorageProvider', onNode], ['SimStorageProvider', inSimulation]] as const) {
  describe(`storage contract: ${name}`, () => {
    for (const [check, body] of Object.entries(contract)) it(check, () => run(body));
  });
}
