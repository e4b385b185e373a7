import { splitU64, U64 } from '@moonpool/explorer';
import { SPLIT, splitMix64Words, U64_MASK } from './splitmix64.js';

/** Accepts a seed as `bigint` or a non-negative safe integer, checked to be an unsigned 64-bit value. */
export function toSeed(seed: bigint | number): bigint {
  const value = typeof seed === 'number' ? toBigIntExact(seed) : seed;
  if (value < 0n || value > U64_MASK)
    throw new RangeError(`seed must be an unsigned 64-bit integer, got ${seed}`);
  return value;
}

function toBigIntExact(n: number): bigint {
  if (!Number.isSafeInteger(n))
    throw new RangeError(`seed must be an integer (use bigint above 2^53), got ${n}`);
  return BigInt(n);
}

/** Everything the generator's future draws and counts depend on (see `SimRng.position`). */
export interface RngPosition {
  readonly words: readonly [number, number, number, number];
  readonly calls: number;
  readonly earlierCalls: number;
  readonly seed: bigint;
}

/**
 * The simulation's one source of randomness: xoshiro128** (32-bit native, fast in JavaScript),
 * seeded from an unsigned 64-bit seed. Every draw is counted; the explorer reads the count and may
 * reseed, which restarts the count from zero.
 */
export class SimRng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  /** Draws since the last (re)seed. */
  calls = 0;
  /** Draws before the last reseed, summed: the total work done by this generator. */
  private earlierCalls = 0;
  /** When `calls` reaches this value, `onBreakpoint` runs (before the draw): the explorer's hook. */
  private breakpointAt = -1;
  private onBreakpoint: (() => void) | null = null;
  private seedValue = 0n;

  constructor(seed: bigint | number) {
    this.reseed(seed);
  }

  get seed(): bigint {
    return this.seedValue;
  }

  /** Every draw since construction, across reseeds. */
  get totalCalls(): number {
    return this.earlierCalls + this.calls;
  }

  /** The four 32-bit words of the generator's state (what the next draws depend on). */
  stateWords(): [number, number, number, number] {
    return [this.s0, this.s1, this.s2, this.s3];
  }

  /** Where the generator stands: a state-machine snapshot keeps it beside the machine's state. */
  position(): RngPosition {
    return {
      words: [this.s0, this.s1, this.s2, this.s3],
      calls: this.calls,
      earlierCalls: this.earlierCalls,
      seed: this.seedValue,
    };
  }

  /** Puts the generator back where `position` was taken (its breakpoint is left as it is). */
  moveTo(position: RngPosition): void {
    [this.s0, this.s1, this.s2, this.s3] = position.words;
    this.calls = position.calls;
    this.earlierCalls = position.earlierCalls;
    this.seedValue = position.seed;
  }

  /** Restarts the generator from `seed`; the call count starts again at zero. */
  reseed(seed: bigint | number): void {
    const value = toSeed(seed);
    this.earlierCalls += this.calls;
    this.seedValue = value;
    // Every child timeline of a root seed starts from it: its state is kept from the last time.
    if (value !== lastSeed.value) seedState(value);
    this.s0 = lastSeed.s0;
    this.s1 = lastSeed.s1;
    this.s2 = lastSeed.s2;
    this.s3 = lastSeed.s3;
    this.calls = 0;
  }

  /** Calls `fn` when the call count reaches `count` (once); `-1` clears it. */
  setBreakpoint(count: number, fn: (() => void) | null): void {
    this.breakpointAt = count;
    this.onBreakpoint = fn;
  }

  /** Counts one call (running the breakpoint first, so a reseed there takes effect for this draw). */
  private count(): void {
    // A loop: a reseed restarts the count at 0, where the next breakpoint may already be due.
    while (this.calls === this.breakpointAt) {
      this.breakpointAt = -1;
      this.onBreakpoint?.();
    }
    this.calls++;
  }

  private step(): number {
    this.count();
    return this.raw();
  }

  private raw(): number {
    const s1 = this.s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result >>> 0;
  }

  /** Uniform unsigned 32-bit integer. One counted call. */
  nextU32(): number {
    return this.step();
  }

  /** Uniform float in [0, 1) with 32 bits of precision. One counted call. */
  random(): number {
    return this.step() / 4294967296;
  }

  /** Uniform integer in [lo, hi). */
  range(lo: number, hi: number): number {
    if (!(hi > lo)) throw new RangeError(`empty range [${lo}, ${hi})`);
    return lo + Math.floor(this.random() * (hi - lo));
  }

  /** Uniform float in [lo, hi). */
  rangeFloat(lo: number, hi: number): number {
    if (!(hi > lo)) throw new RangeError(`empty range [${lo}, ${hi})`);
    return lo + this.random() * (hi - lo);
  }

  /** `true` with probability `p`. */
  bool(p: number): boolean {
    return this.random() < p;
  }

  /** Uniform unsigned 64-bit integer (two 32-bit draws, one counted call). */
  nextU64(): bigint {
    this.count();
    const hi = this.raw();
    const lo = this.raw();
    return (BigInt(hi) << 32n) | BigInt(lo);
  }
}

/** The generator state of the seed reseeded last (see `seedState`). */
const lastSeed = { value: -1n, s0: 0, s1: 0, s2: 0, s3: 0 };

/** The state `value` seeds into `lastSeed`: two SplitMix64 outputs, on 32-bit halves (no BigInt arithmetic). */
function seedState(value: bigint): void {
  splitU64(value);
  splitMix64Words(U64.hi, U64.lo);
  lastSeed.s0 = SPLIT.outLo | 0;
  lastSeed.s1 = SPLIT.outHi | 0;
  splitMix64Words(SPLIT.nextHi, SPLIT.nextLo);
  lastSeed.s2 = SPLIT.outLo | 0;
  lastSeed.s3 = SPLIT.outHi | 0;
  if ((lastSeed.s0 | lastSeed.s1 | lastSeed.s2 | lastSeed.s3) === 0) lastSeed.s0 = 1;
  lastSeed.value = value;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
