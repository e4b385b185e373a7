// A growable buffer that the JSON encoder writes UTF-8 into, reused from one message to the next.
// Writing bytes as the walk goes is about twice as fast, for small messages, as building the text
// as a string and encoding it at the end (measured in docs/transport.md, "Codecs").

const utf8Encoder = new TextEncoder();

/** The longest JavaScript string in UTF-16 units (V8's limit on 64-bit platforms). */
export const MAX_STRING_UNITS = 2 ** 29 - 24;

const INITIAL_CAPACITY = 64 * 1024;

export class ByteWriter {
  bytes: Uint8Array;
  /** How many bytes are written. */
  length = 0;
  /** Bytes written beyond one per UTF-16 unit: the text written is `length - extra` units long. */
  private extra = 0;
  /**
   * Where writing must stop and call `grow`: the end of the buffer, or sooner where the text would
   * reach `maxUnits`. Never later than either, so a write past either always goes through `grow`.
   */
  private end: number;
  private readonly maxUnits: number;

  /** `maxUnits` is lower only in tests. */
  constructor(maxUnits = MAX_STRING_UNITS) {
    this.maxUnits = maxUnits;
    this.bytes = new Uint8Array(INITIAL_CAPACITY);
    this.end = Math.min(INITIAL_CAPACITY, maxUnits);
  }

  /** Makes room for `count` more bytes of ASCII. */
  reserve(count: number): void {
    if (this.length + count > this.end) this.grow(count, count);
  }

  byte(value: number): void {
    if (this.length >= this.end) this.grow(1, 1);
    this.bytes[this.length++] = value;
  }

  /** Text known to be ASCII (numbers, digits, punctuation). */
  ascii(text: string): void {
    const count = text.length;
    if (this.length + count > this.end) this.grow(count, count);
    const bytes = this.bytes;
    let at = this.length;
    for (let i = 0; i < count; i++) bytes[at++] = text.charCodeAt(i);
    this.length = at;
  }

  /**
   * A 32-bit integer in decimal, as `String` writes it (`-0` as `0`). Small integers are common
   * in messages, and this is faster than `String` once a message has more than a few of them.
   */
  int32(value: number): void {
    let rest = value;
    if (rest < 0) {
      this.byte(0x2d /* - */);
      rest = -rest; // -2 ** 31 becomes 2 ** 31, still exact
    }
    let digits = 1;
    for (let power = 10; power <= rest; power *= 10) digits++;
    if (this.length + digits > this.end) this.grow(digits, digits);
    const bytes = this.bytes;
    let at = this.length + digits;
    this.length = at;
    do {
      const quotient = Math.floor(rest / 10);
      bytes[--at] = 0x30 /* 0 */ + rest - quotient * 10;
      rest = quotient;
    } while (rest !== 0);
  }

  /** Any text, as UTF-8 (a lone surrogate becomes U+FFFD, as with TextEncoder). */
  text(text: string): void {
    // A UTF-16 unit takes at most 3 bytes in UTF-8.
    const units = text.length;
    if (this.length + units * 3 > this.end) this.grow(units * 3, units);
    const { written } = utf8Encoder.encodeInto(text, this.bytes.subarray(this.length));
    this.length += written;
    this.extra += written - units;
  }

  /**
   * Bytes `at` onwards move `prefix.length` bytes later, and `prefix` (ASCII) fills the gap: for a
   * wrapper decided only once what it wraps is written.
   */
  insertAscii(at: number, prefix: string): void {
    const count = prefix.length;
    this.reserve(count);
    this.bytes.copyWithin(at + count, at, this.length);
    for (let i = 0; i < count; i++) this.bytes[at + i] = prefix.charCodeAt(i);
    this.length += count;
  }

  /** A fresh array of exactly the bytes written (callers keep it; the buffer is reused). */
  /** The bytes written, in place: valid until the writer is written to again. */
  view(): Uint8Array {
    return new Uint8Array(this.bytes.buffer, this.bytes.byteOffset, this.length);
  }

  copy(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }

  /** Empty again, for the next message; a buffer grown for a large message is let go. */
  reset(): void {
    this.length = 0;
    this.extra = 0;
    if (this.bytes.length > INITIAL_CAPACITY) this.bytes = new Uint8Array(INITIAL_CAPACITY);
    this.end = Math.min(this.bytes.length, this.maxUnits);
  }

  /**
   * Room for `count` more bytes making `units` more UTF-16 units of text, or the RangeError a string
   * would give: the text stays within the longest string, as when it was built as one.
   */
  private grow(count: number, units: number): void {
    if (this.length - this.extra + units > this.maxUnits) throw new RangeError('Invalid string length');
    const needed = this.length + count;
    if (needed > this.bytes.length) {
      const next = new Uint8Array(Math.max(needed, Math.min(this.bytes.length * 2, this.maxUnits + this.extra)));
      next.set(this.bytes.subarray(0, this.length));
      this.bytes = next;
    }
    this.end = Math.min(this.bytes.length, this.maxUnits + this.extra);
  }
}
