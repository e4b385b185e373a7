import type { TimeProvider } from '@moonpool/core';
import type { NetTransport } from '../transport/net-transport.js';
import { DUE_WITHIN_MS, WakeUp } from './wake-up.js';

interface Deadline {
  readonly at: number;
  readonly seq: number;
  fire: (() => void) | null;
}

/** A cancelled deadline is dropped in bulk once they outnumber the live ones (and past this many). */
const PURGE_FLOOR = 1024;

/**
 * Request timeouts of one transport on a single timer. A timer per request cost an `AbortController`
 * each to cancel (more than the rest of a round trip) before `callAfter`; here a request's deadline
 * is a heap entry, cancelled by forgetting its callback, and one sleep waits for the earliest (it
 * is not re-armed when the earliest is cancelled: it wakes, finds nothing due, and sleeps until the
 * next live deadline, if any). Closing the transport stops it.
 */
export class RequestTimers {
  private readonly heap: Deadline[] = [];
  private live = 0;
  private seq = 0;
  private readonly timer: WakeUp;

  constructor(private readonly time: TimeProvider) {
    this.timer = new WakeUp(time, () => this.expire());
  }

  /** Calls `fire` `ms` from now unless the returned function is called first. */
  after(ms: number, fire: () => void): () => void {
    const deadline: Deadline = { at: this.time.now() + ms, seq: this.seq++, fire };
    push(this.heap, deadline);
    this.live++;
    if (deadline.at < this.timer.armedAt) this.timer.arm(deadline.at);
    return () => {
      if (deadline.fire === null) return;
      deadline.fire = null;
      this.live--;
      this.purgeIfSparse();
    };
  }

  /** Pending deadlines (for tests: a finished request leaves none). */
  get pending(): number {
    return this.live;
  }

  /** Stops the timer; pending deadlines never fire. */
  close(): void {
    for (const d of this.heap) d.fire = null;
    this.heap.length = 0;
    this.live = 0;
    this.timer.disarm();
  }

  private expire(): void {
    // Due within a microsecond counts as due: a sleep rounded to the clock's resolution may wake a
    // hair early, and sleeping the difference again would round to nothing and never end.
    const now = this.time.now() + DUE_WITHIN_MS;
    for (let top = this.heap[0]; top !== undefined && top.at <= now; top = this.heap[0]) {
      pop(this.heap);
      const fire = top.fire;
      if (fire === null) continue;
      top.fire = null;
      this.live--;
      fire();
    }
    this.dropCancelledTop();
    const next = this.heap[0];
    if (next !== undefined && next.at < this.timer.armedAt) this.timer.arm(next.at);
  }

  private dropCancelledTop(): void {
    while (this.heap[0] !== undefined && this.heap[0].fire === null) pop(this.heap);
  }

  private purgeIfSparse(): void {
    const cancelled = this.heap.length - this.live;
    if (cancelled < PURGE_FLOOR || cancelled < this.live) return;
    const kept = this.heap.filter((d) => d.fire !== null);
    this.heap.length = 0;
    for (const d of kept) push(this.heap, d);
    if (this.heap.length === 0) this.timer.disarm();
  }
}

const before = (a: Deadline, b: Deadline): boolean => a.at < b.at || (a.at === b.at && a.seq < b.seq);

function push(heap: Deadline[], d: Deadline): void {
  heap.push(d);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!before(d, heap[parent] as Deadline)) break;
    heap[i] = heap[parent] as Deadline;
    i = parent;
  }
  heap[i] = d;
}

function pop(heap: Deadline[]): Deadline | undefined {
  const top = heap[0];
  const last = heap.pop();
  if (top === undefined || last === undefined || heap.length === 0) return top;
  let i = 0;
  for (;;) {
    const left = 2 * i + 1;
    if (left >= heap.length) break;
    const right = left + 1;
    const child = right < heap.length && before(heap[right] as Deadline, heap[left] as Deadline) ? right : left;
    if (!before(heap[child] as Deadline, last)) break;
    heap[i] = heap[child] as Deadline;
    i = child;
  }
  heap[i] = last;
  return top;
}

const timersOf = new WeakMap<NetTransport, RequestTimers>();

/** The request timers of `transport`, made on first use and stopped when it closes. */
export function requestTimers(transport: NetTransport): RequestTimers {
  let timers = timersOf.get(transport);
  if (timers === undefined) {
    const made = new RequestTimers(transport.providers.time);
    transport.onClose(() => made.close());
    timersOf.set(transport, (timers = made));
  }
  return timers;
}
