/** Something scheduled to happen at a simulated instant. */
export interface SimEvent {
  /** Simulated time in ticks (µs). */
  readonly time: number;
  /** Global scheduling order: ties on `time` resolve by it. */
  readonly seq: number;
  /** Event kind (see `EventKind`), mixed into the trace hash. */
  readonly kind: number;
  /** Set when the event must no longer happen (a cancelled sleep); it is skipped when popped. */
  cancelled: boolean;
}

function before(a: SimEvent, b: SimEvent): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}

/**
 * Binary min-heap ordered by (time, seq). Written here rather than taken from a library because it
 * is the simulator's hottest structure: the comparison is inlined on two numbers, no callback.
 */
export class EventQueue<E extends SimEvent> {
  private readonly heap: E[] = [];

  get size(): number {
    return this.heap.length;
  }

  peek(): E | undefined {
    return this.heap[0];
  }

  push(event: E): void {
    const heap = this.heap;
    let i = heap.length;
    heap.push(event);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent] as E;
      if (!before(event, p)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = event;
  }

  pop(): E | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    const n = heap.length;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      let c = heap[left] as E;
      if (right < n && before(heap[right] as E, c)) {
        child = right;
        c = heap[right] as E;
      }
      if (!before(c, last)) break;
      heap[i] = c;
      i = child;
    }
    heap[i] = last;
    return top;
  }

  /** Keeps only the events `keep` accepts and restores the heap order (O(n)). */
  retain(keep: (event: E) => boolean): void {
    const heap = this.heap.filter(keep);
    this.heap.length = 0;
    for (const ev of heap) this.push(ev);
  }

  clear(): void {
    this.heap.length = 0;
  }

  /** Every queued event, in no particular order (for diagnostics). */
  items(): readonly E[] {
    return this.heap;
  }
}
