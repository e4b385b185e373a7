// Exploration figures of `npm run bench` (also runnable alone: `node scripts/bench-exploration.js`).
// Each comparison is made in this same run: exploration vs plain random seeds for the same wall time,
// draws executed by replay vs draws a fork-based explorer would need, 2 worker threads vs 1.
import { Parallelism } from '../packages/sim/dist/src/index.js';

const EXAMPLES = new URL('../examples/dist/src/', import.meta.url);
const fmt = (n) => Math.round(n).toLocaleString('en-US');

async function definition(file, exportName) {
  const url = new URL(file, EXAMPLES);
  const def = (await import(url.href))[exportName];
  if (def === undefined) throw new Error(`${file} has no export ${exportName} (run \`npm run build\`)`);
  return { def, url };
}

/** Runs a builder and returns its report with the wall time. */
async function timed(builder) {
  const started = performance.now();
  const report = await builder.run();
  return { report, ms: performance.now() - started };
}

function describe({ report, ms }) {
  const e = report.exploration;
  return (
    `${(ms / 1000).toFixed(2)} s, ${fmt(e.totalTimelines)} timelines, ${e.bugsFound} bugs, ` +
    `replay overhead ${(e.draws / e.ownDraws).toFixed(2)}x (${fmt(e.draws)} draws executed, ` +
    `${fmt(e.ownDraws)} for a fork-based explorer)`
  );
}

async function mazeSection() {
  const explore = await definition('maze/maze-explore.sim.js', 'mazeExplore');
  const plain = await definition('maze/maze.sim.js', 'maze');
  await timed(explore.def.build().setIterations(1)); // warm-up
  const explored = await timed(explore.def.build().setWorkerModule(explore.url, 'mazeExplore'));
  console.log('(h) maze-explore, shipped configuration (2 seeds x 20,000 energy, sequential)');
  console.log(`    ${describe(explored)}  (target <= 0.75 s; the bug is found: ${explored.report.exploration.bugsFound > 0})`);
  const random = await timed(plain.def.build().setTimeLimit(explored.ms));
  console.log(
    `    plain random seeds for the same ${(explored.ms / 1000).toFixed(2)} s: ${fmt(random.report.iterations)} ` +
      `iterations, ${random.report.failedRuns} bugs`,
  );
}

async function dungeonSection() {
  const { def, url } = await definition('dungeon/dungeon-explore.sim.js', 'dungeonExplore');
  const shipped = await timed(def.build().setWorkerModule(url, 'dungeonExplore'));
  console.log('(i) dungeon-explore, shipped configuration (3 seeds x 400,000 energy, HalfCores)');
  console.log(`    ${describe(shipped)}  on ${shipped.report.exploration.threads} thread(s)  (target <= 24 s)`);

  // The same exploration on 1 and 2 worker threads (one seed, less energy, to keep the bench short).
  const config = (cores) => ({
    maxDepth: 120,
    timelinesPerSplit: 30,
    globalEnergy: Number(process.env.BENCH_DUNGEON_ENERGY ?? 60_000),
    adaptive: { batchSize: 30, minTimelines: 400, maxTimelines: 1000, perMarkEnergy: 10_000, warmMinTimelines: 30 },
    parallelism: Parallelism.Cores(cores),
  });
  const run = (cores) =>
    timed(def.build().enableExploration(config(cores)).setIterations(1).setWorkerModule(url, 'dungeonExplore'));
  const one = await run(1);
  const two = await run(2);
  const same =
    one.report.exploration.totalTimelines === two.report.exploration.totalTimelines &&
    one.report.exploration.draws === two.report.exploration.draws;
  console.log(`(j) dungeon, 1 seed x ${fmt(config(1).globalEnergy)} energy: 1 vs 2 threads (the main thread + 1 worker)`);
  console.log(`    1 thread:  ${describe(one)}`);
  console.log(`    2 threads: ${describe(two)}`);
  console.log(`    speed-up: ${(one.ms / two.ms).toFixed(2)}x  (target >= 1.6x); same multiverse: ${same}`);
  if (!same) process.exitCode = 1;
}

await mazeSection();
if (process.env.BENCH_SKIP_DUNGEON !== '1') await dungeonSection();
