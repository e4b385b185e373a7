import { posix } from 'node:path';
import { IoError, type OpenOptions } from '@moonpool/core';

/** Simulated files live in memory; past this size a write fails instead of exhausting the heap. */
export const MAX_FILE_BYTES = 2 ** 30;

/** How a handle may be used, from its open options. */
export interface OpenMode {
  readable: boolean;
  writable: boolean;
  append: boolean;
}

/** The same rules as NodeStorageProvider's open(2) flags, with the same error codes. */
export function openMode(options: OpenOptions): OpenMode {
  const writable = options.write === true || options.append === true;
  const readable = options.read === true;
  if (!readable && !writable) throw new IoError('EINVAL', 'open needs read, write or append');
  const creates = options.create === true || options.createNew === true;
  if ((creates || options.truncate === true) && !writable) {
    throw new IoError('EINVAL', 'create and truncate need write access');
  }
  return { readable, writable, append: options.append === true };
}

/**
 * One spelling per file: relative paths resolve against `/` (one namespace per machine) and `.`,
 * `..` and repeated slashes are normalised. Directories are implicit: any path can hold a file.
 */
export function normalizePath(path: string): string {
  if (typeof path !== 'string' || path === '') {
    throw new IoError('ENOENT', `no such file or directory: '${String(path)}'`);
  }
  const resolved = posix.resolve('/', path);
  if (resolved === '/') throw new IoError('EINVAL', `'${path}' is a directory`);
  return resolved;
}

/** Same check and message as NodeStorageProvider, so callers see the same RangeError. */
export function checkCount(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${what} must be a non-negative integer, got ${value}`);
  }
}

export function checkFileSize(end: number): void {
  if (end > MAX_FILE_BYTES) {
    throw new IoError('EINVAL', `simulated files are limited to ${MAX_FILE_BYTES} bytes, asked for ${end}`);
  }
}
