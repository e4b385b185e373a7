export interface OpenOptions {
  read?: boolean;
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
  size(): Promise<number>;
  setLen(length: number): Promise<void>;
  close(): Promise<void>;
}

export interface StorageProvider {
  open(path: string, options: OpenOptions): Promise<StorageFile>;
  exists(path: string): Promise<boolean>;
  delete(path: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
}
