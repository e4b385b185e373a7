import type { BugRecipe, ExplorationProgress, MultiverseMap } from '@moonpool/explorer';
import type { CodeCoverageReport } from '../coverage/exploration-coverage.js';

/** The exploration part of a report: the multiverse explored from every root seed. */
export interface ExplorationReport {
  totalTimelines: number;
  forkPoints: number;
  bugsFound: number;
  bugRecipes: BugRecipe[];
  energyRemaining: number;
  reallocPoolRemaining: number;
  coverageBits: number;
  coverageTotal: number;
  /**
   * The explored map itself (the OR of every timeline's coverage bits, `coverageTotal` bits) as
   * base64 of little-endian 32-bit words: what a merge of sharded reports ORs together. Left out of
   * the JSON form (`reportToJson`). Every report an exploration returns has it.
   */
  exploredMap?: string;
  converged: boolean;
  perSeedTimelines: number[];
  /** Random draws executed by replay, and what a fork-based explorer would have needed. */
  draws: number;
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
  readonly elapsedMs: number;
}
