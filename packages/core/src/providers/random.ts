/** Random numbers: drawn from the seeded generator in a simulation, from `node:crypto` in production. */
export interface RandomProvider {
  /** Uniform float in [0, 1). */
  random(): number;
  /** Uniform integer in [lo, hi) (both integers, lo < hi). */
  randomRange(lo: number, hi: number): number;
  /** Uniform float in [lo, hi). */
  randomRangeFloat(lo: number, hi: number): number;
  /** Uniform float in [0, 1): a ratio, for thresholds. */
  randomRatio(): number;
  /** `true` with probability `p`. */
  randomBool(p: number): boolean;
}
