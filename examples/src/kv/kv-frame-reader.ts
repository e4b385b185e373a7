import type { Stream } from 'moonpool';
import { decodeFrameAt, FrameError } from './kv-frame.js';

/**
 * Reads whole frames from a byte stream. TCP delivers bytes in arbitrary chunks, so data is
 * buffered until a frame is complete; a corrupt frame throws (the connection must be dropped: after
 * a bad length nothing that follows can be located reliably).
 */
export class FrameReader {
  private buffer = new Uint8Array(0);
  private start = 0;

  constructor(private readonly stream: Stream) {}

  /** The next frame's payload, or null at a clean end of stream (between frames). */
  async next(): Promise<Uint8Array | null> {
    for (;;) {
      const found = decodeFrameAt(this.buffer, this.start);
      if (found.kind === 'frame') {
        this.start = found.end;
        return found.payload;
      }
      if (found.kind === 'corrupt') throw new FrameError(`bad frame from ${this.stream.peerAddr}: ${found.reason}`);
      const chunk = await this.stream.read();
      if (chunk === null) {
        if (this.start === this.buffer.length) return null;
        throw new FrameError(`end of stream inside a frame from ${this.stream.peerAddr}`);
      }
      this.append(chunk);
    }
  }

  /** Keeps the unread tail and adds `chunk` behind it. */
  private append(chunk: Uint8Array): void {
    const rest = this.buffer.subarray(this.start);
    const merged = new Uint8Array(rest.length + chunk.length);
    merged.set(rest);
    merged.set(chunk, rest.length);
    this.buffer = merged;
    this.start = 0;
  }
}
