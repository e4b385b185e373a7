import { posix } from 'node:path';
import {
  checkStoragePath,
  IoError,
  type OpenOptions,
  type StorageFile,
  type StorageProvider,
  storageOpenMode,
} from '@moonpool/core';
import { EventKind } from '../kernel/event-kind.js';
import type { Machine } from '../kernel/machine.js';
import { never } from '../kernel/tasks.js';
import type { SimWorld } from '../kernel/world.js';
import { SimFile } from './sim-file.js';
import { SimStorageFile } from './sim-storage-file.js';
import { StorageContext, type StorageSource } from './storage-context.js';

/**
 * One machine's view of the simulated storage (its IP's disk). Every operation completes after a
 * simulated delay, in an event owned by the machine. Namespace operations (create, delete, rename)
 * are durable at once; file content is durable once synced.
 */
export class SimStorageProvider implements StorageProvider {
  private readonly ctx: StorageContext;

  constructor(world: SimWorld, owner: Machine, storage: StorageSource) {
    this.ctx = new StorageContext(world, owner, storage);
  }

  async open(path: string, options: OpenOptions): Promise<StorageFile> {
    if (!this.ctx.owner.alive) return never();
    const mode = storageOpenMode(options);
    const at = normalizePath(path);
    const creates = options.create === true || options.createNew === true;
    return this.ctx.io(EventKind.StorageRead, 'metadata', 0, `open ${at}`, () => {
      const disk = this.ctx.disk;
      let file = disk.files.get(at);
      if (file !== undefined && options.createNew === true) {
        throw new IoError('EEXIST', `open ${at}: file already exists`);
      }
      if (file === undefined) {
        if (!creates) throw noSuchFile('open', at);
        file = new SimFile();
        disk.files.set(at, file);
      } else if (options.truncate === true) {
        file.setLength(0);
      }
      return new SimStorageFile(this.ctx, file, at, mode, disk.epoch);
    });
  }

  async exists(path: string): Promise<boolean> {
    if (!this.ctx.owner.alive) return never();
    let at: string;
    try {
      at = normalizePath(path);
    } catch {
      return false;
    }
    return this.ctx.io(EventKind.StorageRead, 'metadata', 0, `exists ${at}`, () => this.ctx.disk.files.has(at));
  }

  /** Like unlink(2): open handles keep working on the deleted content. */
  async delete(path: string): Promise<void> {
    if (!this.ctx.owner.alive) return never();
    const at = normalizePath(path);
    return this.ctx.io(EventKind.StorageWrite, 'metadata', 0, `delete ${at}`, () => {
      if (!this.ctx.disk.files.delete(at)) throw noSuchFile('unlink', at);
    });
  }

  /** Atomically replaces `to` if it exists, like rename(2). */
  async rename(from: string, to: string): Promise<void> {
    if (!this.ctx.owner.alive) return never();
    const source = normalizePath(from);
    const target = normalizePath(to);
    return this.ctx.io(EventKind.StorageWrite, 'metadata', 0, `rename ${source}`, () => {
      const files = this.ctx.disk.files;
      const file = files.get(source);
      if (file === undefined) throw noSuchFile('rename', source);
      if (source === target) return;
      files.delete(source);
      files.set(target, file);
    });
  }
}

function noSuchFile(what: string, path: string): IoError {
  return new IoError('ENOENT', `${what} ${path}: no such file or directory`);
}

/**
 * One spelling per file: relative paths resolve against `/` (one namespace per machine) and `.`,
 * `..` and repeated slashes are normalised. Directories are implicit: any path can hold a file.
 */
function normalizePath(path: string): string {
  checkStoragePath(path);
  const resolved = posix.resolve('/', path);
  if (resolved === '/') throw new IoError('EINVAL', `'${path}' is a directory`);
  return resolved;
}
