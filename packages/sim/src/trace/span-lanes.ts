/**
 * Keeps the spans of one thread properly nested, as trace viewers require: on one thread two spans
 * either nest or do not overlap. A task's waits almost always nest in it (one await at a time), but
 * concurrent waits (`Promise.all`, a timeout racing an I/O) can overlap without nesting; such a span
 * goes to the first extra lane (another thread of the same process) where it fits.
 *
 * Spans arrive in the order they end (the tracer emits a span when it finishes), so a lane only needs
 * the spans not yet enclosed by a later one: a stack of disjoint intervals, oldest first.
 */
export class SpanLanes {
  private readonly lanes: number[][] = [[]];

  /** The lane (0 the thread's own) that takes `[start, end]`, recorded there; `end` never decreases. */
  place(start: number, end: number): number {
    for (let lane = 0; ; lane++) {
      let stack = this.lanes[lane];
      if (stack === undefined) {
        stack = [];
        this.lanes.push(stack);
      }
      // Pairs [start, end] flattened: spans starting at or after `start` end before `end`, so they nest.
      let top = stack.length - 2;
      while (top >= 0 && (stack[top] as number) >= start) top -= 2;
      if (top >= 0 && (stack[top + 1] as number) > start) continue;
      stack.length = top + 2;
      stack.push(start, end);
      return lane;
    }
  }
}
