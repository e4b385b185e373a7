import { childSeed } from './child-seed.js';
import { countSetBits } from './coverage-bitmap.js';
import type { ExplorationConfig } from './config.js';
import { EnergyBudget, type MarkEnergy } from './energy.js';
import { type MultiverseRecorder, OMITTED_FORK, ROOT_PLACE, type TimelinePlace } from './multiverse-map.js';
import type { BugRecipe, Recipe, RecipeStep, TimelineFailure } from './recipe.js';

/** A discovery in a timeline: where its children branch off. */
export interface Splitpoint {
  /** The assertion (mark) whose discovery this is. */
  readonly mark: string;
  /** Draws since the timeline's last reseed when it happened. */
  readonly count: number;
  /** The timeline's seed at that moment (the root seed, or its last reseed). */
  readonly seed: bigint;
}

/** What running one timeline produced (its own part: a replayed prefix counts nothing). */
export interface TimelineOutcome {
  /** The timeline failed (an always-violation, a thrown error, a deadlock, …). */
  readonly bug: boolean;
  /** How it failed, for the report. */
  readonly failure?: TimelineFailure;
  /** The coverage bits (of 8192) of the discoveries it made, each once: most timelines have none. */
  readonly coverage: readonly number[];
  readonly splitpoints: readonly Splitpoint[];
  /** Random draws executed, prefix included, and in its own part (since its last reseed: what a fork needs). */
  readonly draws: number;
  readonly ownDraws: number;
  /** Identifies the execution (the replay of a bug must reproduce it). */
  readonly traceHash?: string;
  /**
   * Its batch ran code of the system under test that no timeline had run before (code coverage,
   * collected per batch: set on one outcome of the batch). It makes the batch productive.
   */
  readonly newCode?: true;
}

/** Runs the timeline at the end of `recipe` (the empty recipe: the root timeline). */
export type TimelineRunner = (recipe: Recipe) => Promise<TimelineOutcome>;

/**
 * Runs a batch of timelines; the results come back in the order of the recipes. When a stop is
 * requested (`Multiverse.stopRequested`) while the batch runs, the runner may leave out the timelines
 * it has not begun (their entries `undefined`); the root timeline always runs. `upcoming`, when given,
 * gives the batches most likely to follow, in order (the same splitpoint's next children), made when
 * called (a runner without idle threads need not pay for them): a runner with idle threads may start
 * them early, and may use what it ran only for a batch that does come next from the same start state;
 * it is a hint, never a decision.
 */
export type BatchRunner = (
  recipes: readonly Recipe[],
  upcoming?: () => readonly (readonly Recipe[])[],
) => Promise<(TimelineOutcome | undefined)[]>;

/** How many batches ahead `upcoming` (see `BatchRunner`) looks. */
const UPCOMING_BATCHES = 2;

export interface SeedExploration {
  rootSeed: bigint;
  timelines: number;
  forkPoints: number;
  bugs: BugRecipe[];
  energyRemaining: number;
  reallocPoolRemaining: number;
  /** Every queued splitpoint was explored before energy ran out. */
  converged: boolean;
  /** `stopRequested` ended it early: it holds what was explored until then. */
  interrupted?: true;
  draws: number;
  ownDraws: number;
}

interface PendingSplit {
  /** Recipe of the timeline that found the splitpoint. */
  readonly parent: Recipe;
  /** Depth of the children (root timeline: 0, its children: 1). */
  readonly depth: number;
  readonly split: Splitpoint;
  /** The timeline that found it, for the recorder. */
  readonly place: TimelinePlace;
}

const WORDS = 8192 / 32;

/** Where an exploration stands, reported after every batch (for a live progress display). */
export interface ExplorationProgress {
  /** Root seeds begun so far (the current one included). */
  readonly seedsStarted: number;
  /** Child timelines run, over all root seeds so far. */
  readonly timelines: number;
  /** Global energy left for the current root seed. */
  readonly energyRemaining: number;
  /** Failing child timelines found so far, over all root seeds. */
  readonly bugs: number;
  /** Bits set in the explored map. */
  readonly coverageBits: number;
}

/**
 * The multiverse explorer: runs a root seed's timeline, then branches at its splitpoints, breadth
 * first, within the energy budget. Decisions are taken at batch boundaries from results merged in a
 * fixed order, so the multiverse does not depend on how batches are run (sequentially or on workers).
 * The explored map persists across root seeds (warm starts).
 */
export class Multiverse {
  /** OR of every timeline's coverage bitmap, across root seeds. */
  readonly explored = new Uint32Array(WORDS);
  /** Called after every batch. */
  onProgress: ((progress: ExplorationProgress) => void) | null = null;
  /**
   * Asked before every batch of children: true ends the seed's exploration there (an interrupted
   * run), keeping what was found. The batch runner may ask it too and leave out the timelines it has
   * not begun; those that ran are merged.
   */
  stopRequested: (() => boolean) | null = null;
  /** When set, keeps a bounded map of the fork points and the coverage curve (for reports). */
  recorder: MultiverseRecorder | null = null;
  private seedsExplored = 0;
  /** Timelines and bugs of the root seeds explored before the current one. */
  private earlierTimelines = 0;
  private earlierBugs = 0;

  constructor(
    private readonly config: ExplorationConfig,
    private readonly runBatch: BatchRunner,
  ) {}

  /** Bits set in the explored map. */
  coverageBits(): number {
    return countSetBits(this.explored);
  }

  async exploreSeed(rootSeed: bigint): Promise<SeedExploration> {
    const warm = this.seedsExplored++ > 0;
    const energy = new EnergyBudget(this.config.globalEnergy);
    const result: SeedExploration = {
      rootSeed,
      timelines: 0,
      forkPoints: 0,
      bugs: [],
      energyRemaining: 0,
      reallocPoolRemaining: 0,
      converged: true,
      draws: 0,
      ownDraws: 0,
    };
    const queue: PendingSplit[] = [];
    this.recorder?.startSeed(rootSeed);
    const [root] = await this.runBatch([[]]);
    if (root === undefined) throw new Error('the batch runner returned no result for the root timeline');
    this.merge(root, [], 0, queue, result, ROOT_PLACE);
    this.progress(result, energy);
    while (queue.length > 0) {
      if (energy.global <= 0) {
        result.converged = false;
        break;
      }
      if (this.stopping(result)) break;
      const pending = queue.shift() as PendingSplit;
      if (pending.depth > this.config.maxDepth) continue;
      const spawned = this.config.adaptive
        ? await this.adaptive(pending, energy, warm, queue, result)
        : await this.fixed(pending, energy, queue, result);
      if (spawned > 0) result.forkPoints++;
    }
    result.energyRemaining = energy.global;
    result.reallocPoolRemaining = energy.pool;
    this.earlierTimelines += result.timelines;
    this.earlierBugs += result.bugs.length;
    return result;
  }

  /** Whether to stop before the next batch; marks the result interrupted (and so not converged). */
  private stopping(result: SeedExploration): boolean {
    if (result.interrupted !== true && this.stopRequested?.() !== true) return false;
    result.interrupted = true;
    result.converged = false;
    return true;
  }

  private progress(result: SeedExploration, energy: EnergyBudget): void {
    this.recorder?.batchDone(this.earlierTimelines + result.timelines, this.coverageBits());
    this.onProgress?.({
      seedsStarted: this.seedsExplored,
      timelines: this.earlierTimelines + result.timelines,
      energyRemaining: energy.global,
      bugs: this.earlierBugs + result.bugs.length,
      coverageBits: this.coverageBits(),
    });
  }

  /** Fixed-count mode: `timelinesPerSplit` children, one global unit each. */
  private async fixed(
    pending: PendingSplit,
    energy: EnergyBudget,
    queue: PendingSplit[],
    result: SeedExploration,
  ): Promise<number> {
    const indices: number[] = [];
    while (indices.length < this.config.timelinesPerSplit) {
      if (!energy.takeGlobal()) {
        result.converged = false;
        break;
      }
      indices.push(indices.length);
    }
    if (indices.length > 0) await this.runChildren(pending, this.openFork(pending), indices, queue, result);
    this.progress(result, energy);
    return indices.length;
  }

  /** Adaptive mode: batches until the mark is barren, out of energy, or at `maxTimelines`. */
  private async adaptive(
    pending: PendingSplit,
    energy: EnergyBudget,
    warm: boolean,
    queue: PendingSplit[],
    result: SeedExploration,
  ): Promise<number> {
    const a = this.config.adaptive;
    if (!a) return 0;
    const minTimelines = warm ? (a.warmMinTimelines ?? a.batchSize) : a.minTimelines;
    const mark: MarkEnergy = energy.openMark(a.perMarkEnergy);
    let spawned = 0;
    let fork: number | undefined;
    for (;;) {
      if (spawned > 0 && this.stopping(result)) break;
      const indices: number[] = [];
      let stopped = false;
      while (indices.length < a.batchSize && spawned + indices.length < a.maxTimelines) {
        if (!energy.take(mark)) {
          stopped = true;
          if (energy.global <= 0) result.converged = false;
          break;
        }
        indices.push(spawned + indices.length);
      }
      if (indices.length === 0) break;
      spawned += indices.length;
      fork ??= this.openFork(pending);
      // The next batches of this mark when it surely goes on (below `minTimelines` it is not judged
      // barren): their children can start while this batch is merged. Past it, a mark goes on only
      // when a batch found something new, which changes the start state of the next.
      const next = spawned;
      const upcoming = (): number[][] => {
        const batches: number[][] = [];
        for (let from = next; !stopped && from < minTimelines && batches.length < UPCOMING_BATCHES; ) {
          const size = Math.min(a.batchSize, a.maxTimelines - from);
          if (size <= 0) break;
          batches.push(Array.from({ length: size }, (_, k) => from + k));
          from += size;
        }
        return batches;
      };
      const foundNew = await this.runChildren(pending, fork, indices, queue, result, upcoming);
      this.progress(result, energy);
      if (!foundNew && spawned >= minTimelines) {
        energy.retire(mark);
        break;
      }
      if (stopped || spawned >= a.maxTimelines) break;
    }
    return spawned;
  }

  /** The recorder's index for the fork point of `pending` (`OMITTED_FORK` when none records). */
  private openFork({ place, split, depth }: PendingSplit): number {
    return this.recorder?.openFork(place, split.mark, depth, split.count) ?? OMITTED_FORK;
  }

  /**
   * Runs children `indices` of a splitpoint (fork point `fork` for the recorder) as one batch.
   * Whether any found new coverage is decided against the explored map before any of them is merged.
   */
  private async runChildren(
    pending: PendingSplit,
    fork: number,
    indices: readonly number[],
    queue: PendingSplit[],
    result: SeedExploration,
    upcoming: () => readonly (readonly number[])[] = () => [],
  ): Promise<boolean> {
    if (indices.length === 0) return false;
    const { depth } = pending;
    const recipes = childRecipes(pending, indices);
    const outcomes = await this.runBatch(recipes, () => upcoming().map((batch) => childRecipes(pending, batch)));
    const foundNew = outcomes.some(
      (o) => o !== undefined && (o.newCode === true || hasBitsNotIn(o.coverage, this.explored)),
    );
    recipes.forEach((recipe, k) => {
      const outcome = outcomes[k];
      if (outcome !== undefined) {
        this.merge(outcome, recipe, depth, queue, result, { fork, child: indices[k] as number });
      } else {
        // Left out by a stop: the seed's exploration ends after this batch.
        result.interrupted = true;
        result.converged = false;
      }
    });
    return foundNew;
  }

  private merge(
    outcome: TimelineOutcome,
    recipe: Recipe,
    depth: number,
    queue: PendingSplit[],
    result: SeedExploration,
    place: TimelinePlace,
  ): void {
    if (recipe.length > 0) result.timelines++;
    result.draws += outcome.draws;
    result.ownDraws += outcome.ownDraws;
    const explored = this.explored;
    let newBits = 0;
    for (const bit of outcome.coverage) {
      const word = explored[bit >>> 5] as number;
      const mask = 1 << (bit & 31);
      if ((word & mask) === 0) newBits++;
      explored[bit >>> 5] = word | mask;
    }
    if (recipe.length > 0) this.recorder?.timeline(place.fork, place.child, outcome.bug, newBits);
    if (outcome.bug && recipe.length > 0) {
      result.bugs.push({
        rootSeed: result.rootSeed,
        recipe,
        ...(outcome.traceHash === undefined ? {} : { traceHash: outcome.traceHash }),
        ...(outcome.failure === undefined ? {} : { failure: outcome.failure }),
      });
    }
    if (depth < this.config.maxDepth) {
      for (const split of outcome.splitpoints) {
        // A child reseeds at its parent's next draw: after the parent's last one there is none, and
        // every child would replay the parent unchanged.
        if (split.count < outcome.ownDraws) queue.push({ parent: recipe, depth: depth + 1, split, place });
      }
    }
  }
}

/** The recipes of children `indices` of a pending splitpoint. */
function childRecipes({ split, parent }: PendingSplit, indices: readonly number[]): Recipe[] {
  return indices.map((i): Recipe => {
    const step: RecipeStep = { count: split.count, seed: childSeed(split.mark, split.seed, i) };
    return [...parent, step];
  });
}

function hasBitsNotIn(bits: readonly number[], explored: Uint32Array): boolean {
  for (const bit of bits) if ((((explored[bit >>> 5] as number) >>> (bit & 31)) & 1) === 0) return true;
  return false;
}
