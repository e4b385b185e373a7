// NodeStorageProvider's behaviour as a StorageProvider is checked by the shared contract suite
// (packages/sim/test/storage-contract.test.ts, run against it and the simulation); these cases check
// only what is Node's own: paths map to real files under the root.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { IoError, NodeStorageProvider } from '../../src/index.js';

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

test('relative paths resolve against the root', async () => {
  const file = await storage.open('rooted', { write: true, create: true });
  await file.write(text('hi'));
  await file.close();
  assert.equal(await readFile(join(dir, 'rooted'), 'utf8'), 'hi');
  const absolute = new NodeStorageProvider();
  assert.equal(await absolute.exists(join(dir, 'rooted')), true);
});

test('files written outside are read and appended to through the provider', async () => {
  await writeFile(join(dir, 'log'), 'one;');
  const file = await storage.open('log', { read: true, append: true });
  await file.write(text('two;'));
  file.seek(0);
  await file.write(text('three;'));
  await file.writeAt(0, text('ONE'));
  assert.equal(await readFile(join(dir, 'log'), 'utf8'), 'ONE;two;three;');
  assert.equal(decode(await file.readAt(4, 4)), 'two;');
  await file.close();
});

test('an empty path names no file, not the root directory', async () => {
  const isMissing = (err: unknown): boolean => err instanceof IoError && err.code === 'ENOENT';
  await assert.rejects(storage.open('', { read: true }), isMissing);
  await assert.rejects(storage.delete(''), isMissing);
  await assert.rejects(storage.rename('', 'elsewhere'), isMissing);
  assert.equal(await storage.exists(''), false);
});
