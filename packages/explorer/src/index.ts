// The package's public surface: what the simulation package and its users need. Everything else
// (slots, buckets, bitmaps, energy, child seeds) is the explorer's own and stays behind it.

// Recording and judging assertions.
export { ASSERTION_KINDS, type AssertionFamily, type AssertionKindSpec, type CountFormat } from './assertion-kinds.js';
export { AssertionStore, MAX_ASSERTION_SLOTS } from './assertion-store.js';
export { MAX_EACH_BUCKETS } from './each-site.js';
export { type CatalogueEntry, validateResults, withUnreached } from './validate.js';
export type {
  AssertionKind,
  AssertionResult,
  AssertionStatus,
  AssertionViolations,
  BucketKeys,
  BucketQuality,
  BucketSummary,
  DiscoveryHook,
  IntValue,
  NumericCmp,
} from './types.js';

// Coverage bits (an assertion's bit, and the bitmap's size).
export { COVERAGE_BITS, countSetBits, coverageBit } from './coverage-bitmap.js';
export { fnv1a32 } from './fnv.js';
export { numericHolds } from './numeric-holds.js';

// 64-bit arithmetic on 32-bit halves (the simulator's seeding uses it too).
export { joinU64, mul64, splitU64, U64 } from './u64-words.js';

// Exploring the multiverse.
export {
  type AdaptiveConfig,
  type CodeCoverageConfig,
  type ExplorationConfig,
  Parallelism,
  validateExplorationConfig,
} from './config.js';
export {
  type BatchRunner,
  type ExplorationProgress,
  Multiverse,
  type SeedExploration,
  type Splitpoint,
  type TimelineOutcome,
  type TimelineRunner,
} from './multiverse.js';
export {
  type CoveragePoint,
  type ForkRecord,
  MAX_COVERAGE_POINTS,
  MAX_FORKS_PER_SEED,
  type MultiverseMap,
  MultiverseRecorder,
  type SeedMap,
} from './multiverse-map.js';
export {
  type BugRecipe,
  formatBugRecipe,
  formatRecipe,
  parseBugRecipe,
  parseRecipe,
  type Recipe,
  type RecipeStep,
  type TimelineFailure,
} from './recipe.js';

// A store's state as data, for worker threads.
export { DeltaSum } from './delta-sum.js';
export type { BaseChange, StoreDelta, StoreState, TimelineNews } from './store-state.js';
