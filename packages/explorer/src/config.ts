/** How many children run at once, on worker threads. */
export type Parallelism =
  | { readonly kind: 'MaxCores' }
  | { readonly kind: 'HalfCores' }
  | { readonly kind: 'Cores'; readonly n: number }
  | { readonly kind: 'MaxCoresMinus'; readonly n: number };

/**
 * The {@link Parallelism} values: `MaxCores` (one child per core), `HalfCores`, `Cores(n)` (n >= 1) and
 * `MaxCoresMinus(n)` (n >= 0; at least 1 slot); the factories throw a `RangeError` on a bad `n`.
 */
export const Parallelism = {
  MaxCores: { kind: 'MaxCores' } as Parallelism,
  HalfCores: { kind: 'HalfCores' } as Parallelism,
  Cores: (n: number): Parallelism => ({ kind: 'Cores', n: positive(n, 'Parallelism.Cores') }),
  MaxCoresMinus: (n: number): Parallelism => ({ kind: 'MaxCoresMinus', n: nonNegative(n, 'Parallelism.MaxCoresMinus') }),
  /** Concurrent children for `cores` available cores. */
  slots(p: Parallelism, cores: number): number {
    switch (p.kind) {
      case 'MaxCores':
        return Math.max(1, cores);
      case 'HalfCores':
        return Math.max(1, Math.floor(cores / 2));
      case 'Cores':
        return p.n;
      case 'MaxCoresMinus':
        return Math.max(1, cores - p.n);
    }
  },
};

/** Coverage-yield-driven batches (Moonpool's `AdaptiveConfig`). */
export interface AdaptiveConfig {
  /** Children per batch before checking coverage yield. */
  readonly batchSize: number;
  /** Minimum children per mark before it may be declared barren. */
  readonly minTimelines: number;
  /** Hard cap on children per mark. */
  readonly maxTimelines: number;
  /** Initial energy of each mark. */
  readonly perMarkEnergy: number;
  /** `minTimelines` for warm starts (seeds after the first); defaults to `batchSize`. */
  readonly warmMinTimelines?: number;
}

/** How the multiverse is explored (Moonpool's `ExplorationConfig`). */
export interface ExplorationConfig {
  /** Maximum split depth (0: no splitting). */
  readonly maxDepth: number;
  /** Children per splitpoint in fixed-count mode. */
  readonly timelinesPerSplit: number;
  /** Total timelines across all marks. */
  readonly globalEnergy: number;
  /** Adaptive batches; absent = fixed-count mode. */
  readonly adaptive?: AdaptiveConfig;
  /** Run children on worker threads; absent = sequential. */
  readonly parallelism?: Parallelism;
  /**
   * Code coverage as a discovery signal (opt-in): a batch whose children run blocks of the system
   * under test that no timeline ran before counts as productive, as a new assertion bit does.
   * `true` takes the default modules (see `CodeCoverageConfig.modules`).
   */
  readonly codeCoverage?: boolean | CodeCoverageConfig;
}

/** Which modules code coverage counts. */
export interface CodeCoverageConfig {
  /**
   * URL or absolute-path prefixes of the system under test's modules. Default: every file module
   * outside `node_modules` and outside the framework's own packages.
   */
  readonly modules?: readonly string[];
}

function positive(n: number, what: string): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${what} must be an integer >= 1, got ${n}`);
  return n;
}

function nonNegative(n: number, what: string): number {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${what} must be an integer >= 0, got ${n}`);
  return n;
}

/** Checks every field; throws a `RangeError` naming the bad one. */
export function validateExplorationConfig(c: ExplorationConfig): ExplorationConfig {
  nonNegative(c.maxDepth, 'maxDepth');
  nonNegative(c.timelinesPerSplit, 'timelinesPerSplit');
  nonNegative(c.globalEnergy, 'globalEnergy');
  validateCodeCoverage(c.codeCoverage);
  const a = c.adaptive;
  if (a) {
    positive(a.batchSize, 'adaptive.batchSize');
    nonNegative(a.minTimelines, 'adaptive.minTimelines');
    positive(a.maxTimelines, 'adaptive.maxTimelines');
    nonNegative(a.perMarkEnergy, 'adaptive.perMarkEnergy');
    if (a.warmMinTimelines !== undefined) nonNegative(a.warmMinTimelines, 'adaptive.warmMinTimelines');
    if (a.minTimelines > a.maxTimelines) {
      throw new RangeError(`adaptive.minTimelines ${a.minTimelines} > maxTimelines ${a.maxTimelines}`);
    }
  }
  return c;
}

function validateCodeCoverage(c: ExplorationConfig['codeCoverage']): void {
  if (c === undefined || typeof c === 'boolean') return;
  if (typeof c !== 'object' || c === null) throw new RangeError(`codeCoverage must be a boolean or { modules }, got ${String(c)}`);
  if (c.modules === undefined) return;
  if (!Array.isArray(c.modules)) throw new RangeError('codeCoverage.modules must be an array of URL or path prefixes');
  for (const m of c.modules as unknown[]) {
    if (typeof m !== 'string' || m.length === 0) {
      throw new RangeError(`codeCoverage.modules must hold non-empty strings, got ${JSON.stringify(m)}`);
    }
  }
}
