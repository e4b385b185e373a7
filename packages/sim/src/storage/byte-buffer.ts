/**
 * A growable byte array. Capacity doubles, so appending to a log is amortised O(1) per byte; bytes
 * past `length` are always zero, so extending a file exposes zeros as a real file system does.
 */
export class ByteBuffer {
  private bytes: Uint8Array;
  private size: number;

  constructor(initial: Uint8Array = new Uint8Array(0)) {
    this.bytes = initial.slice();
    this.size = initial.length;
  }

  get length(): number {
    return this.size;
  }

  /** A copy of up to `length` bytes at `position`; shorter (or empty) at the end. */
  read(position: number, length: number): Uint8Array {
    const end = Math.min(this.size, position + length);
    return end > position ? this.bytes.slice(position, end) : new Uint8Array(0);
  }

  /** Exactly `length` bytes from `position`, zeros past the end. */
  readPadded(position: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    const end = Math.min(this.size, position + length);
    if (end > position) out.set(this.bytes.subarray(position, end));
    return out;
  }

  /** Stores `data` at `position`, extending (zero-filled) as needed. */
  write(position: number, data: Uint8Array): void {
    if (data.length === 0) return; // an empty write never extends the file
    const end = position + data.length;
    this.reserve(end);
    this.bytes.set(data, position);
    if (end > this.size) this.size = end;
  }

  setLength(length: number): void {
    if (length < this.size) this.bytes.fill(0, length, this.size);
    else this.reserve(length);
    this.size = length;
  }

  clone(): ByteBuffer {
    return new ByteBuffer(this.bytes.subarray(0, this.size));
  }

  private reserve(capacity: number): void {
    if (capacity <= this.bytes.length) return;
    const next = new Uint8Array(Math.max(capacity, this.bytes.length * 2, 64));
    next.set(this.bytes.subarray(0, this.size));
    this.bytes = next;
  }
}
