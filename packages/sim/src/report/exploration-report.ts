import type { BugRecipe, ExplorationProgress, MultiverseMap } from '@moonpool/explorer';
import type { CodeCoverageReport } from '../coverage/exploration-coverage.js';

/** The exploration part of a report: the multiverse explored from every root seed. */
export interface ExplorationReport {
  /** Child timelines run, over all root seeds (root timelines are not counted). */
  totalTimelines: number;
  /** Splitpoints from which at least one child timeline was run, over all root seeds. */
  forkPoints: number;
  /** Child timelines that failed (an always-violation or any other failure); the run fails when above 0. */
  bugsFound: number;
  /** One per bug, in the order found: its root seed and recipe, which `replayRecipe` runs again. */
  bugRecipes: BugRecipe[];
  /**
   * Global energy (timelines) left when the last root seed's exploration ended; every root seed starts
   * with the full budget.
   */
  energyRemaining: number;
  /** Adaptive mode: energy left in the reallocation pool at the end of the last root seed; 0 otherwise. */
  reallocPoolRemaining: number;
  /** Bits set in the explored map (the OR of every timeline's coverage bitmap), out of `coverageTotal`. */
  coverageBits: number;
  /** Size of the coverage bitmap and of the explored map, in bits (8192). */
  coverageTotal: number;
  /**
   * The explored map itself (the OR of every timeline's coverage bits, `coverageTotal` bits) as
   * base64 of little-endian 32-bit words: what a merge of sharded reports ORs together. Left out of
   * the JSON form (`reportToJson`). Every report an exploration returns has it.
   */
  exploredMap?: string;
  /**
   * True when no root seed ran out of energy with splitpoints left to explore and the run was not
   * interrupted.
   */
  converged: boolean;
  /** Child timelines run from each root seed, one entry per root seed in order. */
  perSeedTimelines: number[];
  /** Random draws executed by replay, and what a fork-based explorer would have needed. */
  draws: number;
  /** Each timeline's draws since its last reseed, summed: what a fork-based explorer would have run. */
  ownDraws: number;
  /**
   * Children started from a snapshot of a state machine (`runStateMachine`) instead of a replay of
   * their parent's prefix; absent when none was (simulations that are not state machines).
   */
  snapshotStarts?: number;
  /**
   * Threads that ran the children: the main thread and `threads - 1` worker threads (with code
   * coverage: `threads` worker threads).
   */
  threads: number;
  /** Code of the system under test run by the children, when code coverage was collected. */
  codeCoverage?: CodeCoverageReport;
  /** The fork points as a tree and the coverage curve, when asked for (`recordMultiverseMap`); bounded. */
  multiverse?: MultiverseMap;
}

/** Where a running exploration stands (see `SimulationBuilder.onExplorationProgress`). */
export interface ExplorationStatus extends ExplorationProgress {
  /** Root seeds the run will explore; null when a time limit decides. */
  readonly seedsTotal: number | null;
  /** Wall-clock time since the run started, in ms. */
  readonly elapsedMs: number;
}
