import type { NetworkFaultEvent } from '../network/network-faults.js';
import type { StorageFaultEvent } from '../storage/fault-events.js';

/** One entry of an event timeline. `seq` is one counter across all timelines: a total order. */
export interface TimelineEntry<E> {
  event: E;
  timeMs: number;
  /** IP of the machine that emitted it (`sim` for the simulator's own entries). */
  source: string;
  seq: number;
}

/** Read access to one timeline. */
export class Timeline<E> {
  constructor(private readonly entries: TimelineEntry<E>[]) {}

  get length(): number {
    return this.entries.length;
  }

  all(): readonly TimelineEntry<E>[] {
    return this.entries;
  }

  /** Entries from `index` on (for readers that remember how far they got). */
  since(index: number): readonly TimelineEntry<E>[] {
    return this.entries.slice(index);
  }

  last(): TimelineEntry<E> | undefined {
    return this.entries[this.entries.length - 1];
  }
}

/** All timelines of one iteration. */
export class Timelines {
  private readonly byKey = new Map<string, TimelineEntry<unknown>[]>();
  private seq = 0;

  emit<E>(key: string, event: E, timeMs: number, source: string): void {
    let entries = this.byKey.get(key);
    if (entries === undefined) {
      entries = [];
      this.byKey.set(key, entries);
    }
    entries.push({ event, timeMs, source, seq: this.seq++ });
  }

  timeline<E>(key: string): Timeline<E> {
    let entries = this.byKey.get(key);
    if (entries === undefined) {
      entries = [];
      this.byKey.set(key, entries);
    }
    return new Timeline(entries as TimelineEntry<E>[]);
  }
}

/** The timeline the simulator writes every injected fault to. */
export const FAULT_TIMELINE = 'sim:faults';

/** Process entries of the fault timeline. */
export type ProcessFaultEvent =
  | { type: 'ProcessGracefulShutdown'; ip: string }
  | { type: 'ProcessForceKill'; ip: string }
  | { type: 'ProcessRestart'; ip: string };

/** Every entry of the fault timeline (SPEC §4.8). */
export type FaultEvent = ProcessFaultEvent | NetworkFaultEvent | StorageFaultEvent;
