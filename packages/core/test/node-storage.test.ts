import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { IoError, NodeStorageProvider } from '../src/index.js';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const decode = (data: Uint8Array): string => new TextDecoder().decode(data);

let dir = '';
let storage: NodeStorageProvider;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'moonpool-storage-'));
  storage = new NodeStorageProvider(dir);
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (err: unknown) => err instanceof IoError && err.code === code);
}

test('relative paths resolve against the root', async () => {
  const file = await storage.open('rooted', { write: true, create: true });
  await file.write(text('hi'));
  await file.close();
  assert.equal(await readFile(join(dir, 'rooted'), 'utf8'), 'hi');
  const absolute = new NodeStorageProvider();
  assert.equal(await absolute.exists(join(dir, 'rooted')), true);
});

test('open: missing files, create and createNew', async () => {
  await rejectsWith(storage.open('missing', { read: true }), 'ENOENT');
  await rejectsWith(storage.open('missing', { read: true, write: true }), 'ENOENT');
  const created = await storage.open('fresh', { read: true, write: true, create: true });
  assert.equal(await created.size(), 0);
  await created.close();
  await rejectsWith(storage.open('fresh', { write: true, createNew: true }), 'EEXIST');
  const exclusive = await storage.open('exclusive', { write: true, createNew: true });
  await exclusive.close();
  assert.equal(await storage.exists('exclusive'), true);
});

test('open: create keeps existing content, truncate empties it', async () => {
  await writeFile(join(dir, 'keep'), 'content');
  const kept = await storage.open('keep', { read: true, write: true, create: true });
  assert.equal(decode(await kept.read(100)), 'content');
  await kept.close();
  const emptied = await storage.open('keep', { write: true, truncate: true });
  assert.equal(await emptied.size(), 0);
  await emptied.close();
});

test('open: access modes are enforced', async () => {
  await writeFile(join(dir, 'modes'), 'abc');
  const readOnly = await storage.open('modes', { read: true });
  await rejectsWith(readOnly.write(text('x')), 'EBADF');
  await readOnly.close();
  const writeOnly = await storage.open('modes', { write: true });
  await rejectsWith(writeOnly.read(1), 'EBADF');
  await writeOnly.close();
  await rejectsWith(storage.open('modes', {}), 'EINVAL');
  await rejectsWith(storage.open('modes', { read: true, create: true }), 'EINVAL');
  await rejectsWith(storage.open('modes', { read: true, truncate: true }), 'EINVAL');
  assert.equal(await readFile(join(dir, 'modes'), 'utf8'), 'abc');
});

test('positioned reads and writes', async () => {
  const file = await storage.open('positioned', { read: true, write: true, create: true });
  await file.writeAt(0, text('hello world'));
  await file.writeAt(6, text('W'));
  assert.equal(decode(await file.readAt(6, 5)), 'World');
  assert.equal(decode(await file.readAt(8, 100)), 'rld');
  assert.equal((await file.readAt(100, 10)).length, 0);
  await file.writeAt(13, text('!'));
  assert.deepEqual(await file.readAt(11, 3), new Uint8Array([0, 0, 33]));
  await assert.rejects(file.readAt(-1, 1), RangeError);
  await file.close();
});

test('cursor reads and writes', async () => {
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
});

test('append mode writes at the end but positioned writes stay put', async () => {
  await writeFile(join(dir, 'log'), 'one;');
  const file = await storage.open('log', { read: true, append: true });
  await file.write(text('two;'));
  file.seek(0);
  await file.write(text('three;'));
  await file.writeAt(0, text('ONE'));
  assert.equal(await readFile(join(dir, 'log'), 'utf8'), 'ONE;two;three;');
  await file.close();
});

test('size, setLen and sync', async () => {
  const file = await storage.open('sized', { read: true, write: true, create: true });
  await file.writeAt(0, text('0123456789'));
  assert.equal(await file.size(), 10);
  await file.setLen(4);
  assert.equal(await file.size(), 4);
  assert.equal(decode(await file.readAt(0, 10)), '0123');
  await file.setLen(6);
  assert.deepEqual(await file.readAt(4, 10), new Uint8Array([0, 0]));
  await file.syncData();
  await file.syncAll();
  await file.close();
  await rejectsWith(file.size(), 'EBADF');
});

test('exists, delete and rename', async () => {
  assert.equal(await storage.exists('moved'), false);
  await (await storage.open('moving', { write: true, createNew: true })).close();
  await storage.rename('moving', 'moved');
  assert.equal(await storage.exists('moving'), false);
  assert.equal(await storage.exists('moved'), true);
  await storage.delete('moved');
  assert.equal(await storage.exists('moved'), false);
  await rejectsWith(storage.delete('moved'), 'ENOENT');
  await rejectsWith(storage.rename('moved', 'elsewhere'), 'ENOENT');
  assert.equal(await storage.exists('no-such-dir/file'), false);
});
