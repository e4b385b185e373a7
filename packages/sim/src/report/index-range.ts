/** Iteration indices [from, to) of a run (plain runs: iterations; explorations: root seeds). */
export interface IndexRange {
  /** First index of the range (inclusive). */
  readonly from: number;
  /** End of the range (exclusive): it holds `to - from` indices. */
  readonly to: number;
}

/** `[from, to)` as printed in messages (`0:100`). */
export function formatRange(range: IndexRange): string {
  return `${range.from}:${range.to}`;
}
