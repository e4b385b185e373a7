/**
 * One entry of an event log. `seq` is one counter across all logs of the iteration: a total order.
 * (The specification calls these event timelines; here "timeline" always means a timeline of the
 * multiverse.)
 */
export interface EventLogEntry<E> {
  /** The value passed to `emit`. */
  event: E;
  /** Simulated time of the emit, in ms since the start of the iteration. */
  timeMs: number;
  /** IP of the machine that emitted it (`sim` for the simulator's own entries). */
  source: string;
  /** Position in the iteration's total order of all entries of all logs, from 0. */
  seq: number;
}

/** Read access to one event log. */
export class EventLog<E> {
  constructor(private readonly entries: EventLogEntry<E>[]) {}

  /** Number of entries so far. */
  get length(): number {
    return this.entries.length;
  }

  /** Every entry so far, oldest first (a live view: later emits show up in it). */
  all(): readonly EventLogEntry<E>[] {
    return this.entries;
  }

  /** Entries from `index` on (for readers that remember how far they got). */
  since(index: number): readonly EventLogEntry<E>[] {
    return this.entries.slice(index);
  }

  /** The newest entry, or undefined while the log is empty. */
  last(): EventLogEntry<E> | undefined {
    return this.entries[this.entries.length - 1];
  }
}

/** All event logs of one iteration. */
export class EventLogs {
  private readonly byKey = new Map<string, EventLogEntry<unknown>[]>();
  private seq = 0;

  emit<E>(key: string, event: E, timeMs: number, source: string): void {
    let entries = this.byKey.get(key);
    if (entries === undefined) {
      entries = [];
      this.byKey.set(key, entries);
    }
    entries.push({ event, timeMs, source, seq: this.seq++ });
  }

  log<E>(key: string): EventLog<E> {
    let entries = this.byKey.get(key);
    if (entries === undefined) {
      entries = [];
      this.byKey.set(key, entries);
    }
    return new EventLog(entries as EventLogEntry<E>[]);
  }
}
