import {
  type BugRecipe,
  type ExplorationConfig,
  Multiverse,
  type Recipe,
  type SeedExploration,
  type Splitpoint,
  type TimelineOutcome,
} from '@moonpool/explorer';
import type { AssertionResult } from '../assertions/store.js';
import type { IterationRun } from '../report/simulation-report.js';
import { type RunShared, runIteration } from './iteration.js';
import type { SimulationPlan } from './plan.js';

/** The exploration part of a report (SPEC §5). */
export interface ExplorationReport {
  totalTimelines: number;
  forkPoints: number;
  bugsFound: number;
  bugRecipes: BugRecipe[];
  energyRemaining: number;
  reallocPoolRemaining: number;
  coverageBits: number;
  coverageTotal: number;
  converged: boolean;
  perSeedTimelines: number[];
  /** Random draws executed by replay, and what a fork-based explorer would have needed. */
  draws: number;
  ownDraws: number;
}

/** Runs one timeline by replay and reduces it to what the explorer needs. */
export async function runTimeline(
  plan: SimulationPlan,
  rootSeed: bigint,
  shared: RunShared,
  recipe: Recipe,
): Promise<{ run: IterationRun; outcome: TimelineOutcome }> {
  const splitpoints: Splitpoint[] = [];
  const run = await runIteration(plan, rootSeed, shared, {
    recipe,
    onSplitpoint: (mark, count, seed) => splitpoints.push({ mark, count, seed }),
  });
  const outcome: TimelineOutcome = {
    bug: !run.ok,
    coverage: shared.assertions.coverageBits(),
    splitpoints,
    draws: run.draws ?? 0,
    ownDraws: run.ownDraws ?? 0,
    traceHash: run.traceHash,
  };
  return { run, outcome };
}

/**
 * Explores every root seed in turn (warm starts keep the explored map and the assertions'
 * watermarks, frontiers and bucket bests). Returns each root timeline's run and the report.
 */
export async function explore(
  plan: SimulationPlan,
  config: ExplorationConfig,
  seeds: AsyncIterable<bigint> | Iterable<bigint>,
  shared: RunShared,
  onRoot: (run: IterationRun) => void,
): Promise<{ report: ExplorationReport; earlierSeeds: AssertionResult[][] }> {
  let rootSeed = 0n;
  const multiverse = new Multiverse(config, async (recipes) => {
    const outcomes: TimelineOutcome[] = [];
    for (const recipe of recipes) {
      const { run, outcome } = await runTimeline(plan, rootSeed, shared, recipe);
      if (recipe.length === 0) onRoot(run);
      outcomes.push(outcome);
    }
    return outcomes;
  });
  const perSeed: SeedExploration[] = [];
  const earlierSeeds: AssertionResult[][] = [];
  for await (const seed of seeds) {
    if (perSeed.length > 0) {
      // The next seed resets the counters: keep this seed's, so the report adds them up.
      earlierSeeds.push(shared.assertions.results());
      shared.assertions.prepareNextSeed();
    }
    rootSeed = seed;
    perSeed.push(await multiverse.exploreSeed(seed));
  }
  const sum = (f: (s: SeedExploration) => number): number => perSeed.reduce((n, s) => n + f(s), 0);
  const last = perSeed[perSeed.length - 1];
  const report: ExplorationReport = {
    totalTimelines: sum((s) => s.timelines),
    forkPoints: sum((s) => s.forkPoints),
    bugsFound: sum((s) => s.bugs.length),
    bugRecipes: perSeed.flatMap((s) => s.bugs),
    energyRemaining: last?.energyRemaining ?? config.globalEnergy,
    reallocPoolRemaining: last?.reallocPoolRemaining ?? 0,
    coverageBits: multiverse.coverageBits(),
    coverageTotal: 8192,
    converged: perSeed.every((s) => s.converged),
    perSeedTimelines: perSeed.map((s) => s.timelines),
    draws: sum((s) => s.draws),
    ownDraws: sum((s) => s.ownDraws),
  };
  return { report, earlierSeeds };
}

/** Assertion results of all root seeds: counts added up, the latest watermarks and buckets kept. */
export function mergeSeedResults(seeds: readonly (readonly AssertionResult[])[]): AssertionResult[] {
  const merged = new Map<string, AssertionResult>();
  for (const results of seeds) {
    for (const r of results) {
      const before = merged.get(r.msg);
      if (before === undefined) {
        merged.set(r.msg, { ...r });
        continue;
      }
      const status = before.status === 'fail' || r.status === 'fail' ? 'fail' : before.status === 'pass' ? 'pass' : r.status;
      merged.set(r.msg, {
        ...r,
        passCount: before.passCount + r.passCount,
        failCount: before.failCount + r.failCount,
        status,
      });
    }
  }
  return [...merged.values()];
}

