import type { Stream } from '@moonpool/core';
import type { SendQueue } from './send-queue.js';

/**
 * Writes a peer's queue to one connection. Messages sent in one synchronous burst go out in one
 * write: a flush runs in a microtask after the first of them. One write is under way at a time; what
 * is queued meanwhile goes in the next. (An `async` loop woken by a promise per message cost two
 * promise turns more per message, a fifth of a simulated round trip.)
 */
export class ConnectionWriter {
  private flushQueued = false;
  private writing = false;
  private stopped = false;
  private rejectFailure: (error: unknown) => void = () => undefined;
  /** Rejects with the error of the first write that failed; never resolves. */
  readonly failure: Promise<never>;

  constructor(
    private readonly stream: Stream,
    private readonly queue: SendQueue,
    private readonly onWritten: (bytes: number, packets: number) => void,
  ) {
    this.failure = new Promise<never>((_, reject) => {
      this.rejectFailure = reject;
    });
  }

  /** Something was queued: flush it soon (with whatever else is queued until then). */
  wake(): void {
    if (this.flushQueued || this.writing || this.stopped) return;
    this.flushQueued = true;
    RESOLVED.then(this.flush); // not queueMicrotask: Node makes an AsyncResource for each call
  }

  /** The connection ended: nothing more is written. */
  stop(): void {
    this.stopped = true;
  }

  private readonly flush = (): void => {
    this.flushQueued = false;
    if (this.writing || this.stopped || !this.queue.hasToWrite) return;
    const bytes = this.queue.takeBatch();
    if (bytes === null) return;
    this.writing = true;
    this.batchBytes = bytes.length;
    this.batchPackets = this.queue.batchPackets;
    this.stream.writeAll(bytes).then(this.written, this.failed);
  };

  /** The batch being written: reported once it is. */
  private batchBytes = 0;
  private batchPackets = 0;

  /** The batch is written: report it and flush what came meanwhile. (Bound once, not per write.) */
  private readonly written = (): void => {
    this.writing = false;
    this.onWritten(this.batchBytes, this.batchPackets);
    if (!this.stopped && this.queue.hasToWrite) this.flush();
  };

  private readonly failed = (error: unknown): void => {
    this.stopped = true;
    this.rejectFailure(error);
  };
}

const RESOLVED = Promise.resolve();
