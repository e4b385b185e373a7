import { constants } from 'node:fs';
import { access, type FileHandle, open, rename, unlink } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { OpenOptions, StorageFile, StorageProvider } from '../providers/storage.js';
import { checkStorageCount, checkStoragePath, storageOpenMode } from '../providers/storage-checks.js';
import { toIoError } from './io-error.js';

const { O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, O_EXCL, O_TRUNC } = constants;

/** Runs an fs call, turning its failure into an `IoError`. */
async function io<T>(op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    throw toIoError(err);
  }
}

/** Maps `OpenOptions` to open(2) flags, rejecting combinations that make no sense. */
function openFlags(options: OpenOptions): number {
  const { readable, writable } = storageOpenMode(options);
  let flags = readable && writable ? O_RDWR : writable ? O_WRONLY : O_RDONLY;
  if (options.createNew === true) flags |= O_CREAT | O_EXCL;
  else if (options.create === true) flags |= O_CREAT;
  if (options.truncate === true) flags |= O_TRUNC;
  // No O_APPEND: on Linux it would also move positioned writes (writeAt) to the end of the file.
  return flags;
}

class NodeStorageFile implements StorageFile {
  #cursor = 0;

  constructor(
    private readonly handle: FileHandle,
    private readonly append: boolean,
  ) {}

  async readAt(position: number, length: number): Promise<Uint8Array> {
    checkStorageCount(position, 'readAt position');
    checkStorageCount(length, 'readAt length');
    return io(async () => {
      const out = new Uint8Array(length);
      let filled = 0;
      while (filled < length) {
        const { bytesRead } = await this.handle.read(
          out,
          filled,
          length - filled,
          position + filled,
        );
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return out.subarray(0, filled);
    });
  }

  async writeAt(position: number, data: Uint8Array): Promise<void> {
    checkStorageCount(position, 'writeAt position');
    return io(async () => {
      let written = 0;
      while (written < data.length) {
        const result = await this.handle.write(
          data,
          written,
          data.length - written,
          position + written,
        );
        written += result.bytesWritten;
      }
    });
  }

  async read(length: number): Promise<Uint8Array> {
    const data = await this.readAt(this.#cursor, length);
    this.#cursor += data.length;
    return data;
  }

  async write(data: Uint8Array): Promise<void> {
    const position = this.append ? await this.size() : this.#cursor;
    await this.writeAt(position, data);
    this.#cursor = position + data.length;
  }

  seek(position: number): number {
    checkStorageCount(position, 'seek position');
    this.#cursor = position;
    return position;
  }

  syncAll(): Promise<void> {
    return io(() => this.handle.sync());
  }

  syncData(): Promise<void> {
    return io(() => this.handle.datasync());
  }

  async size(): Promise<number> {
    const stats = await io(() => this.handle.stat());
    return stats.size;
  }

  async setLen(length: number): Promise<void> {
    checkStorageCount(length, 'setLen length');
    return io(() => this.handle.truncate(length));
  }

  close(): Promise<void> {
    return io(() => this.handle.close());
  }
}

/** Files on node:fs; relative paths resolve against `root` (the working directory by default). */
export class NodeStorageProvider implements StorageProvider {
  constructor(private readonly root?: string) {}

  /** Opens `path` with the open(2) flags `options` map to; failures reject with an `IoError`. */
  async open(path: string, options: OpenOptions): Promise<StorageFile> {
    const flags = openFlags(options);
    const handle = await io(() => open(this.#resolve(path), flags, 0o666));
    return new NodeStorageFile(handle, options.append === true);
  }

  /** Whether `path` exists; also `false` when a directory on the way is a file (`ENOTDIR`). */
  async exists(path: string): Promise<boolean> {
    try {
      await access(this.#resolve(path), constants.F_OK);
      return true;
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return false;
      throw toIoError(err);
    }
  }

  /** Removes the file with unlink(2); `ENOENT` if there is none. */
  delete(path: string): Promise<void> {
    return io(() => unlink(this.#resolve(path)));
  }

  /** Renames `from` to `to` with rename(2), replacing `to` if it exists. */
  rename(from: string, to: string): Promise<void> {
    return io(() => rename(this.#resolve(from), this.#resolve(to)));
  }

  /** Checks `path` first (ENOENT): an empty one would otherwise name the root directory. */
  #resolve(path: string): string {
    checkStoragePath(path);
    return this.root === undefined ? path : resolve(this.root, path);
  }
}
