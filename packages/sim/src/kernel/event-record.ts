import { eventKindName } from './event-kind.js';
import type { Divergence, RecordedEvent } from './failure.js';
import { ticksToMs } from './ticks.js';
import type { ScheduledEvent, SimWorld } from './world.js';

/** Per event: sequence number, kind, draws, and the trace hash's two words after the event entered it. */
const INTS = 5;
const INITIAL = 1024;

/**
 * A compact log of every event one run processed (typed columns, no object per event), so two runs
 * of the same execution can be compared event by event. Past `capacity` events nothing more is kept.
 */
export class EventRecord {
  private times = new Float64Array(INITIAL);
  private ints = new Int32Array(INITIAL * INTS);
  private owners: string[] = [];
  private labels: string[] = [];
  /** Events recorded (at most `capacity`). */
  length = 0;
  /** Events processed, recorded or not. */
  seen = 0;

  constructor(readonly capacity = 2_000_000) {}

  /** Records `ev`, which `world` has just added to its trace hash. */
  push(ev: ScheduledEvent, world: SimWorld): void {
    this.seen++;
    if (this.length === this.capacity) return;
    if (this.length === this.times.length) this.grow();
    const i = this.length++;
    this.times[i] = ev.time;
    const at = i * INTS;
    this.ints[at] = ev.seq;
    this.ints[at + 1] = ev.kind;
    this.ints[at + 2] = world.rng.calls;
    world.trace.copyState(this.ints, at + 3);
    this.owners.push(ev.owner === null ? 'sim' : ev.owner.ip);
    this.labels.push(ev.label);
  }

  /** Event `i` in readable form, or null when the run had no such event. */
  event(i: number): RecordedEvent | null {
    if (i < 0 || i >= this.length) return null;
    const at = i * INTS;
    return {
      index: i,
      atMs: ticksToMs(this.times[i] as number),
      seq: this.ints[at] as number,
      kind: eventKindName(this.ints[at + 1] as number),
      label: this.labels[i] as string,
      machine: this.owners[i] as string,
      draws: this.ints[at + 2] as number,
    };
  }

  /** Whether event `i` is the same in both records (the trace hash aside). */
  sameEvent(other: EventRecord, i: number): boolean {
    const at = i * INTS;
    return (
      this.times[i] === other.times[i] &&
      this.ints[at] === other.ints[at] &&
      this.ints[at + 1] === other.ints[at + 1] &&
      this.ints[at + 2] === other.ints[at + 2] &&
      this.owners[i] === other.owners[i] &&
      this.labels[i] === other.labels[i]
    );
  }

  /** Whether the trace hash had the same state after event `i` entered it in both records. */
  sameHash(other: EventRecord, i: number): boolean {
    const at = i * INTS + 3;
    return this.ints[at] === other.ints[at] && this.ints[at + 1] === other.ints[at + 1];
  }

  private grow(): void {
    const times = new Float64Array(this.times.length * 2);
    times.set(this.times);
    this.times = times;
    const ints = new Int32Array(this.ints.length * 2);
    ints.set(this.ints);
    this.ints = ints;
  }
}

/**
 * Where two runs of one execution whose trace hashes differ first part (null when nothing recorded
 * differs: the difference lies beyond the records' capacity).
 */
export function firstDivergence(a: EventRecord, b: EventRecord): Divergence | null {
  const common = Math.min(a.length, b.length);
  for (let i = 0; i < common; i++) {
    if (!a.sameEvent(b, i)) return { cause: 'event', index: i, first: a.event(i), second: b.event(i) };
    // The hash after event i covers the bytes handled by event i - 1; event 0 has no predecessor.
    if (i > 0 && !a.sameHash(b, i)) {
      return { cause: 'data', index: i - 1, first: a.event(i - 1), second: b.event(i - 1) };
    }
  }
  if (a.seen !== b.seen && common < Math.max(a.length, b.length)) {
    return { cause: 'event', index: common, first: a.event(common), second: b.event(common) };
  }
  if (a.seen === b.seen && a.length === a.seen) {
    const last = a.length - 1;
    return { cause: 'end', index: last, first: a.event(last), second: b.event(last) };
  }
  return null;
}
