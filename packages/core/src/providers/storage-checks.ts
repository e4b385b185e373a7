// The argument rules of the StorageProvider contract, shared by NodeStorageProvider and the simulated
// storage so that both reject the same calls with the same errors.
import { IoError } from '../errors.js';
import type { OpenOptions } from './storage.js';

/** How a handle may be used, from its open options. */
export interface StorageOpenMode {
  readable: boolean;
  writable: boolean;
  append: boolean;
}

/**
 * Checks open options and returns the access they grant. Only `true` counts as set. Creating or
 * truncating without write access is refused up front (open(2) would accept some of these silently).
 */
export function storageOpenMode(options: OpenOptions): StorageOpenMode {
  const writable = options.write === true || options.append === true;
  const readable = options.read === true;
  if (!readable && !writable) throw new IoError('EINVAL', 'open needs read, write or append');
  const creates = options.create === true || options.createNew === true;
  if ((creates || options.truncate === true) && !writable) {
    throw new IoError('EINVAL', 'create and truncate need write access');
  }
  return { readable, writable, append: options.append === true };
}

/** A path must be a non-empty string: an empty one names no file (rather than the root directory). */
export function checkStoragePath(path: string): void {
  if (typeof path !== 'string' || path === '') {
    throw new IoError('ENOENT', `no such file or directory: '${String(path)}'`);
  }
}

/** Positions and lengths: a programming error, so a RangeError rather than an IoError. */
export function checkStorageCount(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${what} must be a non-negative integer, got ${value}`);
  }
}
