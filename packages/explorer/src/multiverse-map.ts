/**
 * A bounded picture of explored multiverses, for reports to look at: the fork points of each root
 * seed as a tree, where the bugs sit in it, and the explored map's growth against timelines. Plain
 * JSON values only (seeds as decimal strings), so a report carrying it serialises as it is.
 */
export interface MultiverseMap {
  /** One entry per root seed explored, in the order they were begun. */
  seeds: SeedMap[];
  /** Bits set in the explored map after batches, thinned to at most `MAX_COVERAGE_POINTS` (see `CoveragePoint`). */
  coverage: CoveragePoint[];
}

/** The explored map after a batch: `timelines` children run so far (all root seeds), `bits` set. */
export interface CoveragePoint {
  /** Child timelines run so far, over all root seeds. */
  timelines: number;
  /** Bits set in the explored map at that point. */
  bits: number;
  /** Root seeds begun so far (a warm start shows as a step of this number). */
  seed: number;
}

/** The multiverse of one root seed. */
export interface SeedMap {
  /** The root seed, in decimal. */
  rootSeed: string;
  /** Its fork points in the order they were explored (breadth first), at most `MAX_FORKS_PER_SEED`. */
  forks: ForkRecord[];
  /** Fork points beyond the cap, and the timelines and bugs of their children. */
  forksOmitted: number;
  /** Child timelines run under the omitted fork points (counted here, not in any `ForkRecord`). */
  timelinesOmitted: number;
  /**
   * Where each bug of the seed sits, in the order of the seed's bug recipes: the fork point
   * (index into `forks`, -1 beyond the cap) and which of its children.
   */
  bugs: { fork: number; child: number }[];
}

/** A splitpoint whose children ran. */
export interface ForkRecord {
  /** The fork point whose child found this splitpoint (index into `forks`), or -1 for the root timeline. */
  parent: number;
  /** Which child of `parent` found it (0 for the root timeline). */
  parentChild: number;
  /** The assertion whose discovery it is. */
  mark: string;
  /** Depth of its children (the root timeline's fork points: 1). */
  depth: number;
  /** Random draws since the parent timeline's last reseed when it happened. */
  count: number;
  /** Children run from this fork point. */
  timelines: number;
  /** Children that failed (bugs). */
  bugs: number;
  /** Explored-map bits these children set first (no timeline had set them before). */
  newBits: number;
}

/** Enough for the shallow part of a deep multiverse; deeper fork points are counted, not kept. */
export const MAX_FORKS_PER_SEED = 2000;
/** The coverage curve is thinned to this many points (every other point dropped when full). */
export const MAX_COVERAGE_POINTS = 512;

/** Where a timeline sits: child `child` of fork point `fork` (-1, 0: the root timeline). */
export interface TimelinePlace {
  readonly fork: number;
  readonly child: number;
}

export const ROOT_PLACE: TimelinePlace = { fork: -1, child: 0 };
/** The fork point index `openFork` gives past the cap (-1 is the root timeline's place). */
export const OMITTED_FORK = -2;

/**
 * Fills a `MultiverseMap` as `Multiverse` explores (`Multiverse.recorder`). Called once per fork
 * point and per child timeline, never per event: it does not touch a timeline's execution.
 */
export class MultiverseRecorder {
  private readonly seeds: SeedMap[] = [];
  private readonly points: CoveragePoint[] = [];
  /** Record every `stride`-th batch; doubled each time the curve is thinned. */
  private stride = 1;
  private batches = 0;
  private last: CoveragePoint | null = null;

  startSeed(rootSeed: bigint): void {
    this.seeds.push({ rootSeed: rootSeed.toString(), forks: [], forksOmitted: 0, timelinesOmitted: 0, bugs: [] });
  }

  /** A splitpoint found at `place` is about to run children: its fork point index, or `OMITTED_FORK`. */
  openFork(place: TimelinePlace, mark: string, depth: number, count: number): number {
    const seed = this.current();
    // A fork point under an omitted one is omitted too (it comes later in the order anyway).
    if (seed.forks.length >= MAX_FORKS_PER_SEED || place.fork === OMITTED_FORK) {
      seed.forksOmitted++;
      return OMITTED_FORK;
    }
    const parent = place.fork;
    seed.forks.push({ parent, parentChild: place.child, mark, depth, count, timelines: 0, bugs: 0, newBits: 0 });
    return seed.forks.length - 1;
  }

  /** Child `child` of fork point `fork` ran; `newBits`: explored-map bits it set first. */
  timeline(fork: number, child: number, bug: boolean, newBits: number): void {
    const seed = this.current();
    if (bug) seed.bugs.push({ fork: Math.max(fork, -1), child });
    const record = seed.forks[fork];
    if (record === undefined) {
      seed.timelinesOmitted++;
      return;
    }
    record.timelines++;
    if (bug) record.bugs++;
    record.newBits += newBits;
  }

  /** After a batch: `timelines` children run so far (all seeds), `bits` set in the explored map. */
  batchDone(timelines: number, bits: number): void {
    const point = { timelines, bits, seed: this.seeds.length };
    this.last = point;
    if (this.batches++ % this.stride !== 0) return;
    this.points.push(point);
    if (this.points.length < MAX_COVERAGE_POINTS) return;
    // Keep every other point: the curve stays evenly sampled at half the resolution.
    let kept = 0;
    for (let i = 0; i < this.points.length; i += 2) this.points[kept++] = this.points[i] as CoveragePoint;
    this.points.length = kept;
    this.stride *= 2;
  }

  /** The map so far (the last batch's point always included). */
  map(): MultiverseMap {
    const coverage = [...this.points];
    if (this.last !== null && coverage[coverage.length - 1] !== this.last) coverage.push(this.last);
    return { seeds: this.seeds, coverage };
  }

  private current(): SeedMap {
    const seed = this.seeds[this.seeds.length - 1];
    if (seed === undefined) throw new Error('internal: MultiverseRecorder used before startSeed');
    return seed;
  }
}
