import { allocateBytes } from '@moonpool/core';
import { readUint32LE } from './little-endian.js';
import { checkLength, decodeFrame, type Packet } from './packet.js';
import { WireError } from './wire-error.js';

const NO_BYTES = new Uint8Array(0);
/** Past this many consumed entries the chunk list is compacted (amortised: at most half is dead). */
const COMPACT_AFTER = 1024;

/**
 * The streaming parser of one connection: `push` the bytes as they arrive, in any chunking, then call
 * `next` until it returns null. A packet that lies whole inside one chunk is returned without a copy
 * (its payload is a view into that chunk); a packet split over chunks is assembled in an array of
 * its own that doubles as its bytes arrive, up to the announced and checked length and never past it:
 * copying stays linear in the bytes received, and memory follows what the peer sent, not what it
 * announced. A corrupt stream throws the `WireError` from `next`, and from every `next` and `push`
 * after it: the caller drops the connection.
 */
export class PacketReader {
  /**
   * Received chunks not wholly read yet: `#chunks[#head..#tail)`, oldest first. The array is
   * reused rather than emptied (emptying it drops its storage, and the next push allocates again).
   */
  readonly #chunks: Uint8Array[] = [];
  #head = 0;
  #tail = 0;
  /** Read position inside `#chunks[#head]`. */
  #offset = 0;
  /** Unread bytes left in `#chunks`. */
  #buffered = 0;
  /** The packet being assembled from several chunks, its length field and how much of it arrived. */
  #frame: Uint8Array | null = null;
  #frameLength = 0;
  #filled = 0;
  #failure: WireError | null = null;

  /**
   * Adds received bytes. The chunk is kept, not copied, and payloads may be views into it: do not
   * modify a chunk after pushing it. Throws the reader's `WireError` once the stream is corrupt.
   */
  push(chunk: Uint8Array): void {
    if (this.#failure !== null) throw this.#failure;
    if (chunk.length === 0) return;
    this.#chunks[this.#tail++] = chunk;
    this.#buffered += chunk.length;
  }

  /** Bytes pushed but not yet returned inside a packet. */
  get bufferedBytes(): number {
    return this.#buffered + this.#filled;
  }

  /** The stream's `WireError` once it is corrupt, else null. */
  get failure(): WireError | null {
    return this.#failure;
  }

  /** The next complete packet, or null when more bytes are needed. Throws when the stream is corrupt. */
  next(): Packet | null {
    if (this.#failure !== null) throw this.#failure;
    if (this.#frame === null) {
      if (this.#head === this.#tail) return null;
      const chunk = this.#chunks[this.#head]!;
      const at = this.#offset;
      const available = chunk.length - at;
      if (available >= 4) {
        const length = readUint32LE(chunk, at);
        const invalid = checkLength(length);
        if (invalid !== null) this.#fail(invalid);
        if (available >= length) {
          // The common case: the whole packet is in the first chunk.
          const packet = decodeFrame(chunk, at, length);
          if (packet instanceof WireError) this.#fail(packet);
          this.#skip(length);
          return packet;
        }
      }
      if (!this.#startFrame()) return null;
    }
    return this.#continueFrame();
  }

  /** Reads the length field across chunks and starts assembling; false when it is not all there. */
  #startFrame(): boolean {
    if (this.#buffered < 4) return false;
    let length = 0;
    let index = this.#head;
    let at = this.#offset;
    for (let i = 0; i < 4; i++) {
      let chunk = this.#chunks[index]!;
      if (at === chunk.length) {
        chunk = this.#chunks[++index]!;
        at = 0;
      }
      length |= chunk[at++]! << (8 * i);
    }
    length >>>= 0;
    const invalid = checkLength(length);
    if (invalid !== null) this.#fail(invalid);
    this.#frame = NO_BYTES;
    this.#frameLength = length;
    this.#filled = 0;
    return true;
  }

  /** Moves what has arrived of the packet being assembled into it; returns the packet once whole. */
  #continueFrame(): Packet | null {
    const length = this.#frameLength;
    const wanted = Math.min(length - this.#filled, this.#buffered);
    if (wanted > 0) {
      let frame = this.#frame!;
      const filled = this.#filled;
      if (filled + wanted > frame.length) {
        // Grow by at least double (amortised copying) but never past the announced length.
        const grown = allocateBytes(Math.min(length, Math.max(filled + wanted, 2 * frame.length)));
        grown.set(frame.subarray(0, filled));
        frame = grown;
        this.#frame = grown;
      }
      this.#take(wanted, frame, filled);
      this.#filled = filled + wanted;
    }
    if (this.#filled < length) return null;
    const packet = decodeFrame(this.#frame!, 0, length);
    this.#frame = null;
    this.#filled = 0;
    if (packet instanceof WireError) this.#fail(packet);
    return packet;
  }

  /** Copies the next `count` unread bytes into `target` at `position`. */
  #take(count: number, target: Uint8Array, position: number): void {
    while (count > 0) {
      const chunk = this.#chunks[this.#head]!;
      const n = Math.min(count, chunk.length - this.#offset);
      target.set(new Uint8Array(chunk.buffer, chunk.byteOffset + this.#offset, n), position);
      position += n;
      count -= n;
      this.#skip(n);
    }
  }

  /** Marks `count` bytes of the first chunk as read, letting go of the chunk once it is all read. */
  #skip(count: number): void {
    this.#offset += count;
    this.#buffered -= count;
    if (this.#offset < this.#chunks[this.#head]!.length) return;
    this.#chunks[this.#head++] = NO_BYTES;
    this.#offset = 0;
    if (this.#head === this.#tail) {
      this.#head = 0;
      this.#tail = 0;
    } else if (this.#head >= COMPACT_AFTER && 2 * this.#head >= this.#tail) {
      this.#chunks.copyWithin(0, this.#head, this.#tail);
      this.#chunks.fill(NO_BYTES, this.#tail - this.#head, this.#tail);
      this.#tail -= this.#head;
      this.#head = 0;
    }
  }

  #fail(error: WireError): never {
    this.#failure = error;
    this.#chunks.length = 0;
    this.#head = 0;
    this.#tail = 0;
    this.#offset = 0;
    this.#buffered = 0;
    this.#frame = null;
    this.#filled = 0;
    throw error;
  }
}
