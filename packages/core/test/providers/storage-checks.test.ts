import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkStorageCount, checkStoragePath, IoError, type OpenOptions, storageOpenMode } from '../../src/index.js';

function ioError(code: string, message: string): (err: unknown) => boolean {
  return (err) => err instanceof IoError && err.code === code && err.message === `${code}: ${message}`;
}

test('open options grant read, write and append access', () => {
  assert.deepEqual(storageOpenMode({ read: true }), { readable: true, writable: false, append: false });
  assert.deepEqual(storageOpenMode({ write: true, create: true }), { readable: false, writable: true, append: false });
  assert.deepEqual(storageOpenMode({ read: true, write: true, truncate: true }), {
    readable: true,
    writable: true,
    append: false,
  });
  assert.deepEqual(storageOpenMode({ append: true, createNew: true }), {
    readable: false,
    writable: true,
    append: true,
  });
});

test('open options without any access are refused with EINVAL', () => {
  for (const options of [{}, { read: false, write: false }, { create: true }] as OpenOptions[]) {
    assert.throws(() => storageOpenMode(options), ioError('EINVAL', 'open needs read, write or append'));
  }
});

test('creating or truncating needs write access', () => {
  for (const options of [{ create: true }, { createNew: true }, { truncate: true }]) {
    assert.throws(
      () => storageOpenMode({ read: true, ...options }),
      ioError('EINVAL', 'create and truncate need write access'),
    );
  }
  assert.doesNotThrow(() => storageOpenMode({ read: true, create: false, createNew: false, truncate: false }));
});

test('only true sets an option', () => {
  const loose = { read: true, write: 1, truncate: 'yes' } as unknown as OpenOptions;
  assert.deepEqual(storageOpenMode(loose), { readable: true, writable: false, append: false });
});

test('a path must be a non-empty string', () => {
  assert.throws(() => checkStoragePath(''), ioError('ENOENT', "no such file or directory: ''"));
  assert.throws(
    () => checkStoragePath(undefined as unknown as string),
    ioError('ENOENT', "no such file or directory: 'undefined'"),
  );
  for (const path of ['f', './f', '/abs/f', 'dir/../f']) assert.doesNotThrow(() => checkStoragePath(path));
});

test('positions and lengths must be non-negative safe integers', () => {
  for (const value of [0, 1, 4096, Number.MAX_SAFE_INTEGER]) {
    assert.doesNotThrow(() => checkStorageCount(value, 'readAt length'));
  }
  for (const value of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) {
    assert.throws(() => checkStorageCount(value, 'seek position'), {
      name: 'RangeError',
      message: `seek position must be a non-negative integer, got ${value}`,
    });
  }
});
