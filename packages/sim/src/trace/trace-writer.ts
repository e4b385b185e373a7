import { closeSync, openSync, writeSync } from 'node:fs';
import { SimulationError } from '@moonpool/core';

/** Text gathered before it goes out in one write: few system calls, bounded memory. */
const FLUSH_CHARS = 1 << 20;

/** Why the writer stopped taking events. */
export interface WriterCut {
  readonly limit: 'events' | 'bytes';
  readonly max: number;
}

/**
 * Streams one JSON document in the Chrome trace-event "object format" out as it is made:
 * `{"traceEvents":[...], ...}`. Each event is one line of JSON text made by the caller. Writes are
 * synchronous on purpose: the simulation is running, and an asynchronous write would be real I/O
 * under way inside it (and would keep the whole trace in memory until the loop turns).
 *
 * Past `maxEvents` events or `maxBytes` bytes it takes no more events (`cut` says which limit); the
 * document is still closed properly.
 */
export class TraceWriter {
  private readonly fd: number | null;
  private readonly sink: ((text: string) => void) | null;
  private pending: string[] = [];
  private pendingChars = 0;
  private first = true;
  /** Events accepted. */
  events = 0;
  /** Bytes accepted (UTF-8), the closing text included once it is written. */
  bytes = 0;
  cut: WriterCut | null = null;
  private closed = false;
  /** The first write error (see `flush`). */
  private failure: unknown = null;

  constructor(
    output: string | ((text: string) => void),
    private readonly maxEvents: number,
    private readonly maxBytes: number,
    /** Room kept for the text that closes the document (a cut marker, the metadata). */
    private readonly reserveBytes = 4096,
  ) {
    if (typeof output === 'string') {
      try {
        this.fd = openSync(output, 'w');
      } catch (err) {
        throw new SimulationError(`cannot write the trace to ${output}: ${(err as Error).message}`);
      }
      this.sink = null;
    } else {
      this.fd = null;
      this.sink = output;
    }
    this.put('{"traceEvents":[\n');
  }

  /** Adds events (each a JSON object's text) if they all fit; false when they do not (the trace is cut). */
  add(...events: string[]): boolean {
    if (this.cut !== null) return false;
    if (this.events + events.length > this.maxEvents) {
      this.cut = { limit: 'events', max: this.maxEvents };
      return false;
    }
    // Each event costs its bytes and a separator (",\n").
    let bytes = 2 * events.length;
    for (const event of events) bytes += Buffer.byteLength(event);
    if (this.bytes + bytes + this.reserveBytes > this.maxBytes) {
      this.cut = { limit: 'bytes', max: this.maxBytes };
      return false;
    }
    this.bytes += bytes;
    for (const event of events) this.append(event);
    return true;
  }

  /** Adds an event whatever the limits (the few that close a cut trace). */
  addAlways(event: string): void {
    this.bytes += Buffer.byteLength(event) + 2;
    this.append(event);
  }

  /** Adds an event whose bytes (and its separator's) are counted already. */
  private append(event: string): void {
    this.events++;
    if (this.first) {
      this.bytes -= 2;
      this.first = false;
      this.queue(event);
    } else {
      this.queue(`,\n${event}`);
    }
  }

  /** Ends the event list, writes the document's other fields (`tail`: JSON members, comma first) and closes. */
  close(tail: string): void {
    if (this.closed) return;
    this.closed = true;
    this.put(`\n]${tail}}\n`);
    this.flush();
    if (this.fd !== null) closeSync(this.fd);
    if (this.failure !== null) {
      throw new SimulationError(`writing the trace failed: ${(this.failure as Error).message ?? String(this.failure)}`);
    }
  }

  /** Writes text outside the event list (the document's opening and closing), counting its bytes. */
  private put(text: string): void {
    this.bytes += Buffer.byteLength(text);
    this.queue(text);
  }

  private queue(text: string): void {
    this.pending.push(text);
    this.pendingChars += text.length;
    if (this.pendingChars >= FLUSH_CHARS) this.flush();
  }

  /**
   * A write that fails (disk full) must not throw into the simulation, whose code is running: the
   * error is kept, nothing more is written, and `close` throws it once the execution is over.
   */
  private flush(): void {
    if (this.pendingChars === 0) return;
    const text = this.pending.join('');
    this.pending = [];
    this.pendingChars = 0;
    if (this.failure !== null) return;
    try {
      if (this.fd !== null) {
        const bytes = Buffer.from(text);
        for (let at = 0; at < bytes.length; ) at += writeSync(this.fd, bytes, at);
      } else {
        this.sink?.(text);
      }
    } catch (err) {
      this.failure = err;
    }
  }
}
