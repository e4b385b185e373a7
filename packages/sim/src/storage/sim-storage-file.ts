import { checkStorageCount, IoError, type StorageFile, type StorageOpenMode } from '@moonpool/core';
import { EventKind } from '../kernel/event-kind.js';
import { never } from '../kernel/tasks.js';
import { flipRandomBit, otherOffset } from './corruption.js';
import type { SimFile } from './sim-file.js';
import type { StorageContext } from './storage-context.js';

/** Simulated files live in memory; past this size a write fails instead of exhausting the heap. */
export const MAX_FILE_BYTES = 2 ** 30;

function checkFileSize(end: number): void {
  if (end > MAX_FILE_BYTES) {
    throw new IoError('EINVAL', `simulated files are limited to ${MAX_FILE_BYTES} bytes, asked for ${end}`);
  }
}

/**
 * An open simulated file. Errors follow NodeStorageProvider: EBADF for a closed handle or the wrong
 * access mode, EINVAL for setLen without write access, RangeError for bad counts. A crash (with
 * closeFiles) or a wipe of the machine's disk invalidates the handle, even mid-operation.
 */
export class SimStorageFile implements StorageFile {
  #cursor = 0;
  #closed = false;

  constructor(
    private readonly ctx: StorageContext,
    private readonly file: SimFile,
    readonly path: string,
    private readonly mode: StorageOpenMode,
    private readonly epoch: number,
  ) {}

  async readAt(position: number, length: number): Promise<Uint8Array> {
    if (!this.ctx.owner.alive) return never();
    checkStorageCount(position, 'readAt position');
    checkStorageCount(length, 'readAt length');
    this.#usable(this.mode.readable, 'read');
    const bytes = Math.min(length, Math.max(0, this.file.length - position));
    return this.#io(EventKind.StorageRead, 'read', bytes, () => this.#readNow(position, length));
  }

  async writeAt(position: number, data: Uint8Array): Promise<void> {
    if (!this.ctx.owner.alive) return never();
    checkStorageCount(position, 'writeAt position');
    await this.#write(position, data);
  }

  async read(length: number): Promise<Uint8Array> {
    const data = await this.readAt(this.#cursor, length);
    this.#cursor += data.length;
    return data;
  }

  async write(data: Uint8Array): Promise<void> {
    if (!this.ctx.owner.alive) return never();
    // Append mode picks the end of the file when the write lands, atomically (like O_APPEND).
    const position = await this.#write(this.mode.append ? null : this.#cursor, data);
    this.#cursor = position + data.length;
  }

  seek(position: number): number {
    checkStorageCount(position, 'seek position');
    this.#cursor = position;
    return position;
  }

  syncAll(): Promise<void> {
    return this.#sync();
  }

  /** Content and metadata are not told apart in the model: the same as syncAll. */
  syncData(): Promise<void> {
    return this.#sync();
  }

  async size(): Promise<number> {
    if (!this.ctx.owner.alive) return never();
    this.#usable(true, 'stat');
    return this.#io(EventKind.StorageRead, 'metadata', 0, () => this.file.length);
  }

  async setLen(length: number): Promise<void> {
    if (!this.ctx.owner.alive) return never();
    checkStorageCount(length, 'setLen length');
    checkFileSize(length);
    this.#usable(true, 'ftruncate');
    // ftruncate(2) on a descriptor not open for writing fails with EINVAL on Linux.
    if (!this.mode.writable) throw new IoError('EINVAL', `ftruncate ${this.path}: not open for writing`);
    return this.#io(EventKind.StorageWrite, 'metadata', 0, () => this.file.setLength(length));
  }

  /** Closing twice is fine (as with Node's FileHandle); calls after close fail with EBADF. */
  async close(): Promise<void> {
    if (!this.ctx.owner.alive) return never();
    if (this.#closed) return;
    this.#usable(true, 'close');
    this.#closed = true;
    return this.#io(EventKind.StorageWrite, 'metadata', 0, () => undefined);
  }

  async #write(position: number | null, data: Uint8Array): Promise<number> {
    this.#usable(this.mode.writable, 'write');
    if (position !== null) checkFileSize(position + data.length);
    // Copied now: the caller may reuse its buffer while the write is in flight.
    const copy = data.slice();
    return this.#io(EventKind.StorageWrite, 'write', copy.length, () => this.#writeNow(position, copy));
  }

  async #sync(): Promise<void> {
    if (!this.ctx.owner.alive) return never();
    this.#usable(true, 'fsync');
    return this.#io(EventKind.StorageSync, 'sync', 0, () => {
      const { disk, world } = this.ctx;
      if (world.rng.bool(disk.config.syncFailureProbability)) {
        this.ctx.emit({ type: 'StorageSyncFault', ip: disk.ip, path: this.path });
        throw new IoError('EIO', `fsync ${this.path}: input/output error`);
      }
      this.file.sync();
    });
  }

  /** Reads the content at completion, with misdirection and corruption faults drawn now. */
  #readNow(position: number, length: number): Uint8Array {
    const content = this.file.current;
    const n = Math.min(length, Math.max(0, content.length - position));
    if (n === 0) return new Uint8Array(0);
    const { disk, world } = this.ctx;
    const { ip } = disk;
    let from = position;
    if (world.rng.bool(disk.config.misdirectReadProbability)) {
      from = otherOffset(world.rng, position, content.length);
      this.ctx.emit({ type: 'StorageReadFault', ip, path: this.path, fault: 'misdirect', position, length: n, actualPosition: from });
    }
    const out = content.readPadded(from, n);
    if (world.rng.bool(disk.config.readFaultProbability)) {
      flipRandomBit(out, world.rng);
      this.ctx.emit({ type: 'StorageReadFault', ip, path: this.path, fault: 'corruption', position, length: n });
    }
    return out;
  }

  /** Stores `data` (a private copy) at completion, with misdirection, corruption and phantom drawn now. */
  #writeNow(requested: number | null, data: Uint8Array): number {
    const position = requested ?? this.file.length;
    checkFileSize(position + data.length);
    if (data.length === 0) return position;
    const { disk, world } = this.ctx;
    const { ip } = disk;
    const fault = { type: 'StorageWriteFault', ip, path: this.path, position, length: data.length } as const;
    let target = position;
    if (world.rng.bool(disk.config.misdirectWriteProbability)) {
      target = otherOffset(world.rng, position, Math.max(this.file.length, position + data.length));
      this.ctx.emit({ ...fault, fault: 'misdirect', actualPosition: target });
    }
    if (world.rng.bool(disk.config.writeFaultProbability)) {
      flipRandomBit(data, world.rng);
      this.ctx.emit({ ...fault, fault: 'corruption' });
    }
    const phantom = world.rng.bool(disk.config.phantomWriteProbability);
    if (phantom) this.ctx.emit({ ...fault, fault: 'phantom' });
    // What is written, and where, enters the trace hash (payloads are behaviour too).
    world.trace.addInteger(target);
    world.trace.addBytes(data);
    this.file.write(target, data, phantom);
    return position;
  }

  /** Schedules an operation on this handle; it fails with EBADF if the disk crashed or was wiped meanwhile. */
  #io<T>(kind: number, io: 'read' | 'write' | 'sync' | 'metadata', bytes: number, complete: () => T): Promise<T> {
    return this.ctx.io(kind, io, bytes, `${io} ${this.path}`, () => {
      if (this.ctx.disk.epoch !== this.epoch) throw this.#badHandle(io);
      return complete();
    });
  }

  #usable(allowed: boolean, what: string): void {
    if (this.#closed || this.ctx.disk.epoch !== this.epoch || !allowed) throw this.#badHandle(what);
  }

  #badHandle(what: string): IoError {
    return new IoError('EBADF', `${what} ${this.path}: bad file descriptor`);
  }
}
