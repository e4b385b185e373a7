import type { SimContext, StateHandle } from 'moonpool';
import { getOrPublish } from './kv-state.js';

/**
 * What a reboot does to a server's data: `volatile` loses everything (an in-memory server),
 * `durable` loses nothing that was acknowledged.
 */
export type Durability = 'volatile' | 'durable';

/**
 * One write of a key (null: absent), with the interval in which it took effect: from before its
 * first attempt was sent to the acknowledgement of its last (`end` is +Infinity until then). Also
 * models the initial absence (at -Infinity) and, for a volatile server, each boot: a boot is a
 * write of "absent" to every key the server owns, at the instant it boots.
 */
interface Write {
  readonly value: string | null;
  readonly start: number;
  end: number;
  readonly kind: 'initial' | 'client' | 'boot';
}

/** What the model says about a read. */
export interface ReadVerdict {
  readonly possible: boolean;
  /** Possible only because a reboot lost data (volatile servers). */
  readonly onlyThroughLoss: boolean;
  /** The key had an acknowledged write, then its server rebooted before or during this read. */
  readonly afterReboot: boolean;
}

/** A write in progress, returned by `beginWrite`. */
export type WriteHandle = Write;

const INITIAL: Write = Object.freeze({ value: null, start: -Infinity, end: -Infinity, kind: 'initial' });

/**
 * Reference model of the key space, shared by all clients. Requests are retried until
 * acknowledged, so every write takes effect at some point between its start and its final
 * acknowledgement, and the model only needs each write's interval. A read in [start, end] may
 * return the value of write W only if W started before the read ended and no other write W2 lies
 * wholly between W and the read (W.end < W2.start and W2.end < read start) — W2 would then have
 * overwritten W. Values are unique per write, so a read names the write it saw.
 */
export class KvModel {
  private readonly writes = new Map<string, Write[]>();
  /** The first impossible read, described; null while all is well. */
  violation: string | null = null;

  constructor(readonly durability: Durability) {}

  beginWrite(key: string, value: string | null, nowMs: number): WriteHandle {
    const write: Write = { value, start: nowMs, end: Infinity, kind: 'client' };
    this.history(key).push(write);
    return write;
  }

  acknowledge(write: WriteHandle, nowMs: number): void {
    write.end = nowMs;
  }

  /**
   * Judges a read of `key` in [start, end] that returned `result`; `boots` are the boot times of
   * the key's server. Records the first impossible read as the violation.
   */
  checkRead(key: string, result: string | null, start: number, end: number, boots: readonly number[]): ReadVerdict {
    const all = this.history(key);
    const losses: Write[] =
      this.durability === 'volatile' ? boots.map((t) => ({ value: null, start: t, end: t, kind: 'boot' })) : [];
    const possible = possibleValues([...all, ...losses], start, end);
    const ok = possible.has(result);
    const onlyThroughLoss = ok && !possibleValues(all, start, end).has(result);
    let lastAck = -Infinity;
    for (const w of all) if (w.kind === 'client' && w.end < start) lastAck = Math.max(lastAck, w.end);
    const afterReboot = lastAck > -Infinity && boots.some((t) => t > lastAck && t < end);
    if (!ok && this.violation === null) {
      const shown = [...possible].map((v) => JSON.stringify(v)).join(', ');
      this.violation =
        `GET ${key} during [${start}, ${end}] ms returned ${JSON.stringify(result)}, ` +
        `but only ${shown} were possible${afterReboot ? ' (its server rebooted since the last acknowledged write)' : ''}`;
    }
    return { possible: ok, onlyThroughLoss, afterReboot };
  }

  private history(key: string): Write[] {
    let list = this.writes.get(key);
    if (list === undefined) {
      list = [INITIAL];
      this.writes.set(key, list);
    }
    return list;
  }
}

/** Values a read in [start, end] may return, given every write of the key. */
function possibleValues(writes: readonly Write[], start: number, end: number): Set<string | null> {
  // The latest start among writes finished before the read began: any write ending before it was
  // overwritten by that one before the read could see it.
  let latest = -Infinity;
  for (const w of writes) if (w.end < start) latest = Math.max(latest, w.start);
  const values = new Set<string | null>();
  for (const w of writes) if (w.start <= end && w.end >= latest) values.add(w.value);
  return values;
}

const MODEL_KEY = 'kv:model';

/** The iteration's model, created by the first client to ask. */
export function kvModel(ctx: SimContext, durability: Durability): KvModel {
  return getOrPublish(ctx.state, MODEL_KEY, () => new KvModel(durability));
}

/** The model, if any client created it yet (for invariants). */
export function publishedModel(state: StateHandle): KvModel | undefined {
  return state.get<KvModel>(MODEL_KEY);
}
