import type { FunctionCoverage } from './function-coverage.js';

interface Known {
  readonly start: number;
  readonly end: number;
  /** Union of the covered intervals reported (flat, sorted, disjoint). */
  covered: number[];
  /** Every boundary the covered union has had, and the function's ends (sorted). */
  bounds: number[];
}

/**
 * The code of the system under test run so far (the JavaScript counterpart of the original's
 * sanitizer-coverage history map). Novelty is judged on source positions: a report covers new code
 * when it covers a position no merged report covered.
 *
 * A block is a stretch of a function between two boundaries the covered union has had after some
 * merge. Merges happen once per batch, with every report of the batch: the union after each batch does
 * not depend on how the batch's timelines were grouped into reports (threads), so neither do the
 * counts. (V8 merges neighbouring blocks that agree, so the boundaries inside one report would.)
 */
export class CodeCoverageMap {
  private readonly functions = new Map<string, Known>();

  /** Whether `entries` ran a source position that nothing merged before did (new blocks). */
  coversNew(entries: Iterable<FunctionCoverage>): boolean {
    for (const e of entries) {
      const known = this.functions.get(e.key);
      if (known === undefined ? e.covered.length > 0 : !within(e.covered, known.covered)) return true;
    }
    return false;
  }

  /** Merges `entries` (all reports of one batch); returns those that added covered code. */
  add(entries: Iterable<FunctionCoverage>): FunctionCoverage[] {
    const added: FunctionCoverage[] = [];
    const touched = new Set<Known>();
    for (const e of entries) {
      let known = this.functions.get(e.key);
      if (known === undefined) {
        known = { start: e.start, end: e.end, covered: [], bounds: [e.start, e.end] };
        this.functions.set(e.key, known);
      } else if (within(e.covered, known.covered)) continue;
      known.covered = union(known.covered, e.covered);
      touched.add(known);
      added.push(e);
    }
    for (const known of touched) known.bounds = mergeSorted(known.bounds, known.covered);
    return added;
  }

  /** Blocks known: the stretches between consecutive boundaries of every function that ran. */
  blockCount(): number {
    let n = 0;
    for (const { bounds } of this.functions.values()) n += Math.max(0, bounds.length - 1);
    return n;
  }

  /** Known blocks run by some timeline. */
  blocksCovered(): number {
    let n = 0;
    for (const { covered, bounds } of this.functions.values()) {
      for (let i = 0; i + 1 < bounds.length; i++) {
        if (contains(covered, ((bounds[i] as number) + (bounds[i + 1] as number)) / 2)) n++;
      }
    }
    return n;
  }

  /** Functions of the system under test that ran. */
  functionCount(): number {
    return this.functions.size;
  }
}

/** Whether every interval of `inner` lies inside one of `outer` (both flat, sorted, disjoint). */
function within(inner: readonly number[], outer: readonly number[]): boolean {
  let j = 0;
  for (let i = 0; i < inner.length; i += 2) {
    const from = inner[i] as number;
    const to = inner[i + 1] as number;
    while (j < outer.length && (outer[j + 1] as number) < to) j += 2;
    if (j >= outer.length || (outer[j] as number) > from) return false;
  }
  return true;
}

function contains(intervals: readonly number[], x: number): boolean {
  for (let i = 0; i < intervals.length; i += 2) {
    if ((intervals[i] as number) <= x && x <= (intervals[i + 1] as number)) return true;
  }
  return false;
}

/** Union of two flat interval lists; touching intervals join. */
function union(a: readonly number[], b: readonly number[]): number[] {
  const pairs: [number, number][] = [];
  for (const list of [a, b]) {
    for (let i = 0; i < list.length; i += 2) pairs.push([list[i] as number, list[i + 1] as number]);
  }
  pairs.sort((x, y) => x[0] - y[0]);
  const out: number[] = [];
  for (const [from, to] of pairs) {
    if (out.length > 0 && from <= (out[out.length - 1] as number)) {
      out[out.length - 1] = Math.max(out[out.length - 1] as number, to);
    } else out.push(from, to);
  }
  return out;
}

function mergeSorted(a: readonly number[], b: readonly number[]): number[] {
  const all = [...a, ...b].sort((x, y) => x - y);
  return all.filter((x, i) => i === 0 || x !== all[i - 1]);
}
