/**
 * How {@link StorageProvider.open} opens a file. Only `true` counts as set (absent: `false`); at least one of
 * `read`, `write` or `append` is required, else the open fails with `EINVAL`.
 */
export interface OpenOptions {
  /** Allow reading through the handle. */
  read?: boolean;
  /** Allow writing through the handle; `create`, `createNew` and `truncate` need it (or `append`). */
  write?: boolean;
  /** Create the file if it does not exist. */
  create?: boolean;
  /** Fail with `EEXIST` if the file exists (implies `create`). */
  createNew?: boolean;
  /** Truncate to zero length on open. */
  truncate?: boolean;
  /** Stream-style writes always go to the end of the file. */
  append?: boolean;
}

/** An open file: positioned I/O plus a cursor for stream-style I/O. */
export interface StorageFile {
  /** Reads up to `length` bytes at `position`; shorter at end of file. */
  readAt(position: number, length: number): Promise<Uint8Array>;
  /** Writes all of `data` at `position`, extending the file if needed. */
  writeAt(position: number, data: Uint8Array): Promise<void>;
  /** Reads up to `length` bytes at the cursor and advances it; empty at end of file. */
  read(length: number): Promise<Uint8Array>;
  /** Writes all of `data` at the cursor (or the end, in append mode) and advances it. */
  write(data: Uint8Array): Promise<void>;
  /** Moves the cursor to `position` and returns it. */
  seek(position: number): number;
  /** Flushes data and metadata to durable storage. */
  syncAll(): Promise<void>;
  /** Flushes data to durable storage. */
  syncData(): Promise<void>;
  /** Current length of the file in bytes. */
  size(): Promise<number>;
  /** Cuts the file to `length` bytes or extends it with zeros; needs write access (`EINVAL` otherwise). */
  setLen(length: number): Promise<void>;
  /** Releases the handle; closing twice is fine, other calls after it fail with `EBADF`. */
  close(): Promise<void>;
}

/** Files by path: `node:fs/promises` in production, the process's simulated disk in a simulation. */
export interface StorageProvider {
  /** Opens the file at `path`; `ENOENT` if it is missing and not created, `EEXIST` with `createNew`. */
  open(path: string, options: OpenOptions): Promise<StorageFile>;
  /** Whether a file exists at `path`. */
  exists(path: string): Promise<boolean>;
  /** Removes the file at `path` (like unlink(2): open handles keep working); `ENOENT` if there is none. */
  delete(path: string): Promise<void>;
  /** Renames `from` to `to`, atomically replacing `to` if it exists; `ENOENT` if `from` does not exist. */
  rename(from: string, to: string): Promise<void>;
}
