/**
 * What one function of the system under test ran in one collection period, in a form that does not
 * depend on how V8 grouped its ranges: V8 merges a block into its parent when their counts agree,
 * so the same execution can be reported as different range lists. Offsets are source positions, the
 * same in every thread (every thread loads the same script text).
 */
export interface FunctionCoverage {
  /** The script's URL and the function's start offset: `file:///…/maze.js#120`. */
  readonly key: string;
  /** The function's source range. */
  readonly start: number;
  readonly end: number;
  /** Covered source intervals, flat `[start0, end0, start1, end1, …]`, sorted and disjoint. */
  readonly covered: readonly number[];
}

/** One range of V8's precise coverage (`Profiler.CoverageRange`). */
export interface CoverageRange {
  readonly startOffset: number;
  readonly endOffset: number;
  readonly count: number;
}

/**
 * The coverage of one function from V8's ranges (the first is the function itself; the others
 * nested or disjoint blocks). Null when the function did not run in the period.
 */
export function functionCoverage(url: string, ranges: readonly CoverageRange[]): FunctionCoverage | null {
  const own = ranges[0];
  if (own === undefined || own.count === 0) return null;
  // Inner ranges after their parents; the innermost range containing a segment gives its count.
  const sorted = [...ranges].sort((a, b) => a.startOffset - b.startOffset || b.endOffset - a.endOffset);
  const bounds = uniqueSorted(sorted.flatMap((r) => [r.startOffset, r.endOffset]));
  const covered: number[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const from = bounds[i] as number;
    const to = bounds[i + 1] as number;
    if (!ranInSegment(sorted, from, to)) continue;
    // Adjacent covered segments form one interval.
    if (covered.length > 0 && covered[covered.length - 1] === from) covered[covered.length - 1] = to;
    else covered.push(from, to);
  }
  return { key: `${url}#${own.startOffset}`, start: own.startOffset, end: own.endOffset, covered };
}

function ranInSegment(sorted: readonly CoverageRange[], from: number, to: number): boolean {
  let count = 0;
  for (const r of sorted) if (r.startOffset <= from && to <= r.endOffset) count = r.count;
  return count > 0;
}

function uniqueSorted(xs: number[]): number[] {
  xs.sort((a, b) => a - b);
  return xs.filter((x, i) => i === 0 || x !== xs[i - 1]);
}
