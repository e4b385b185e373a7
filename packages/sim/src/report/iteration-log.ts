import { type TraceHash, traceHashText } from '../kernel/trace.js';
import type { IterationRun } from './simulation-report.js';

const EMPTY: string[] = [];

/**
 * Per-iteration metrics kept in columns of typed arrays (about 40 bytes an iteration), so a run of
 * millions of iterations does not grow the heap with one object per iteration. Failing iterations
 * are kept whole, with their error.
 */
export class IterationLog {
  private size = 0;
  private seeds = new BigUint64Array(1024);
  private hashes = new Uint32Array(2048);
  private events = new Float64Array(1024);
  private simTimes = new Float64Array(1024);
  private walls = new Float32Array(1024);
  private readonly failures = new Map<number, IterationRun>();

  get length(): number {
    return this.size;
  }

  add(run: IterationRun): void {
    const i = this.append(run.seed, run.events, run.simTimeMs, run.wallMs);
    this.hashes[2 * i] = Number.parseInt(run.traceHash.slice(0, 8), 16);
    this.hashes[2 * i + 1] = Number.parseInt(run.traceHash.slice(8, 16), 16);
    if (!run.ok) this.failures.set(i, run);
  }

  /**
   * A passed iteration, from its parts: what `add` keeps of its `IterationRun`, without building the
   * object and its trace hash text (a plain run's hot path).
   */
  addPassed(seed: bigint, trace: TraceHash, events: number, simTimeMs: number, wallMs: number): void {
    const i = this.append(seed, events, simTimeMs, wallMs); // first: it may grow `hashes`
    trace.digest(this.hashes, 2 * i);
  }

  /** A new row with everything but its trace hash; returns its index. */
  private append(seed: bigint, events: number, simTimeMs: number, wallMs: number): number {
    if (this.size === this.seeds.length) this.grow();
    const i = this.size++;
    this.seeds[i] = seed;
    this.events[i] = events;
    this.simTimes[i] = simTimeMs;
    this.walls[i] = wallMs;
    return i;
  }

  /** Iteration `i` as an object. */
  at(i: number): IterationRun {
    const failed = this.failures.get(i);
    if (failed !== undefined) return failed;
    return {
      seed: this.seeds[i] ?? 0n,
      ok: true,
      traceHash: traceHashText(this.hashes[2 * i] ?? 0, this.hashes[2 * i + 1] ?? 0),
      events: this.events[i] ?? 0,
      simTimeMs: this.simTimes[i] ?? 0,
      wallMs: this.walls[i] ?? 0,
      alwaysViolations: EMPTY,
    };
  }

  toArray(): IterationRun[] {
    return Array.from({ length: this.size }, (_, i) => this.at(i));
  }

  private grow(): void {
    const n = this.seeds.length * 2;
    const grown = <T extends { set(a: T): void }>(old: T, make: (n: number) => T, k = 1): T => {
      const next = make(n * k);
      next.set(old);
      return next;
    };
    this.seeds = grown(this.seeds, (m) => new BigUint64Array(m));
    this.hashes = grown(this.hashes, (m) => new Uint32Array(m), 2);
    this.events = grown(this.events, (m) => new Float64Array(m));
    this.simTimes = grown(this.simTimes, (m) => new Float64Array(m));
    this.walls = grown(this.walls, (m) => new Float32Array(m));
  }
}
