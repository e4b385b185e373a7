// Exploration figures of `npm run bench` (also runnable alone: `node scripts/bench-exploration.js`).
// Each comparison is made in this same run: exploration vs plain random seeds for the same wall time,
// draws executed by replay vs draws a fork-based explorer would need, 2 worker threads vs 1, children
// started from snapshots vs replayed from time zero, the fixed cost of a timeline against the cost of
// its draws; whole-process figures run the command as a user does.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  assertAlways,
  assertReachable,
  assertSometimes,
  assertSometimesEach,
  installInstrumentation,
  uninstallInstrumentation,
} from '../packages/core/dist/src/index.js';
import { AssertionStore, Parallelism } from '../packages/explorer/dist/src/index.js';
import { SimulationBuilder } from '../packages/sim/dist/src/index.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

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
    `${fmt(e.ownDraws)} for a fork-based explorer; ${fmt(e.snapshotStarts ?? 0)} started from snapshots)`
  );
}

/** Bug recipes as text (they hold bigints, which JSON does not take). */
const recipes = (e) => e.bugRecipes.map((b) => `${b.rootSeed}:${b.recipe.map((s) => `${s.count}@${s.seed}`).join('>')}`).join(' ');

const CLI = fileURLToPath(new URL('../packages/moonpool/dist/src/cli/main.js', import.meta.url));

/** `moonpool sim run <name> --json` in a process of its own: the wall time a user sees, and the report. */
function wholeProcess(name) {
  const started = performance.now();
  const out = spawnSync(process.execPath, [CLI, 'sim', 'run', name, '--json'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const ms = performance.now() - started;
  const line = out.stdout.split('\n').find((l) => l.startsWith('{'));
  if (line === undefined) throw new Error(`sim run ${name} printed no report: ${out.stderr}`);
  const report = JSON.parse(line);
  return { ms, report, status: out.status };
}

async function mazeSection() {
  const explore = await definition('maze/maze-explore.sim.js', 'mazeExplore');
  const plain = await definition('maze/maze.sim.js', 'maze');
  await timed(explore.def.build().setIterations(1)); // warm-up
  const runs = [];
  for (let r = 0; r < ROUNDS; r++) runs.push(await timed(explore.def.build().setWorkerModule(explore.url, 'mazeExplore')));
  const explored = runs.sort((a, b) => a.ms - b.ms)[Math.floor(runs.length / 2)];
  console.log(`(h) maze-explore, shipped configuration (2 seeds x 20,000 energy, sequential), median of ${ROUNDS}`);
  console.log(`    ${describe(explored)}  (target <= 0.75 s; the bug is found: ${explored.report.exploration.bugsFound > 0})`);
  const random = await timed(plain.def.build().setWallClockBudget(explored.ms));
  console.log(
    `    plain random seeds for the same ${(explored.ms / 1000).toFixed(2)} s: ${fmt(random.report.iterations)} ` +
      `iterations, ${random.report.failedRuns} bugs`,
  );
  const processes = [];
  for (let r = 0; r < ROUNDS; r++) processes.push(wholeProcess('maze-explore'));
  const whole = processes.sort((a, b) => a.ms - b.ms)[Math.floor(processes.length / 2)];
  console.log(
    `    whole process, \`moonpool sim run maze-explore\`: ${(whole.ms / 1000).toFixed(2)} s wall, median of ${ROUNDS} ` +
      `(target <= 0.75 s; bug found: ${whole.report.exploration.bugsFound > 0})`,
  );
  // What no process running the exploration can go below: Node's own start, loading moonpool, and the
  // exploration once V8 has compiled its hot code (the in-process median above, after a warm-up).
  const bare = median(Array.from({ length: ROUNDS }, () => processMs(['-e', '0'])));
  const load = median(Array.from({ length: ROUNDS }, () => processMs(['--input-type=module', '-e', IMPORT_MOONPOOL])));
  const floor = load + explored.ms;
  console.log(
    `    its floor: node ${(bare / 1000).toFixed(2)} s + loading moonpool ${((load - bare) / 1000).toFixed(2)} s + ` +
      `the exploration once compiled ${(explored.ms / 1000).toFixed(2)} s = ${(floor / 1000).toFixed(2)} s; the rest of ` +
      `the whole process (${((whole.ms - floor) / 1000).toFixed(2)} s) is V8 compiling and the command's own work`,
  );
}

const IMPORT_MOONPOOL = `await import(${JSON.stringify(new URL('../packages/moonpool/dist/src/index.js', import.meta.url).href)})`;

/** Wall ms of `node <args>` in a process of its own. */
function processMs(args) {
  const started = performance.now();
  const out = spawnSync(process.execPath, args, { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${out.stderr}`);
  return performance.now() - started;
}

/**
 * (s) The maze is a state machine: children start from a snapshot of their parent. The same
 * exploration with children replayed from time zero (the machine drawing through a wrapper of
 * ctx.random, which the runner cannot vouch for) shows what the snapshots save; both explore the same
 * multiverse.
 */
async function snapshotSection() {
  const { MazeWorkload } = await import(new URL('maze/maze-workload.js', EXAMPLES).href);
  const { SimulationBuilder } = await import(new URL('../../../packages/moonpool/dist/src/index.js', EXAMPLES).href);
  const explore = await definition('maze/maze-explore.sim.js', 'mazeExplore');
  const replayed = (b) => b.workload(new MazeWorkload({ random: (ctx) => ({ random: () => ctx.random.random() }) }));
  const config = {
    maxDepth: 30,
    timelinesPerSplit: 20,
    globalEnergy: 20_000,
    adaptive: { batchSize: 20, minTimelines: 60, maxTimelines: 150, perMarkEnergy: 600, warmMinTimelines: 20 },
  };
  const snap = [];
  const replay = [];
  for (let r = 0; r < ROUNDS; r++) {
    snap.push(await timed(explore.def.build()));
    replay.push(await timed(replayed(new SimulationBuilder()).enableExploration(config).setIterations(2)));
  }
  const s = snap[0].report.exploration;
  const p = replay[0].report.exploration;
  const same = s.totalTimelines === p.totalTimelines && s.bugsFound === p.bugsFound && s.ownDraws === p.ownDraws &&
    recipes(s) === recipes(p);
  console.log(`(s) children started from snapshots vs replayed from time zero, maze-explore, median of ${ROUNDS}`);
  console.log(`    snapshots: ${describe(snap.sort((a, b) => a.ms - b.ms)[Math.floor(ROUNDS / 2)])}`);
  console.log(`    replay:    ${describe(replay.sort((a, b) => a.ms - b.ms)[Math.floor(ROUNDS / 2)])}`);
  console.log(
    `    replay overhead with snapshots ${(s.draws / s.ownDraws).toFixed(3)}x (target <= 1.2x), by replay ` +
      `${(p.draws / p.ownDraws).toFixed(2)}x; same multiverse: ${same}`,
  );
  if (!same || s.draws / s.ownDraws > 1.2) process.exitCode = 1;
}

async function dungeonSection() {
  if (process.env.BENCH_SKIP_SHIPPED !== '1') {
    // As a user runs it: the command in a process of its own.
    const shipped = wholeProcess('dungeon-explore');
    const e = shipped.report.exploration;
    console.log('(i) dungeon-explore, shipped configuration (3 seeds x 400,000 energy, HalfCores), whole process');
    console.log(
      `    \`moonpool sim run dungeon-explore\`: ${describe(shipped)}  on ${e.threads} thread(s)  ` +
        `(target <= 24 s, goal <= 12 s; treasure found: ${e.bugsFound > 0})`,
    );
  }

  await threadsSection();
}

async function threadsSection() {
  const { def, url } = await definition('dungeon/dungeon-explore.sim.js', 'dungeonExplore');
  // The same exploration on 1 and 2 threads, alternated (this VM's speed drifts between runs). The
  // first 2-thread run starts the worker (which then stays, idle, for the next exploration of the same
  // simulation): it is shown on its own, and the rounds after it compare warm threads with warm threads.
  const energy = Number(process.env.BENCH_DUNGEON_ENERGY ?? 20_000);
  const config = (cores) => ({ ...dungeonConfig(energy), parallelism: Parallelism.Cores(cores) });
  const run = (cores) =>
    timed(def.build().enableExploration(config(cores)).setIterations(1).setWorkerModule(url, 'dungeonExplore'));
  const firstOne = await run(1);
  const firstTwo = await run(2);
  const one = [];
  const two = [];
  for (let r = 0; r < ROUNDS; r++) {
    one.push(await run(1));
    two.push(await run(2));
  }
  // Snapshot starts are decided on the main thread, so even the draws executed match.
  const same = [firstTwo, ...two].every(
    (t) =>
      t.report.exploration.totalTimelines === firstOne.report.exploration.totalTimelines &&
      t.report.exploration.draws === firstOne.report.exploration.draws &&
      t.report.exploration.snapshotStarts === firstOne.report.exploration.snapshotStarts &&
      recipes(t.report.exploration) === recipes(firstOne.report.exploration),
  );
  const oneMs = median(one.map((r) => r.ms));
  const twoMs = median(two.map((r) => r.ms));
  // The ceiling: two independent copies of the 1-thread exploration on two threads of one process, warm.
  const alone = median(await inThreads(1, energy));
  const pair = median(await inThreads(2, energy));
  const ceiling = (2 * alone) / pair;
  console.log(`(j) dungeon, 1 seed x ${fmt(energy)} energy: 1 thread vs 2 (main + 1 worker), median of ${ROUNDS}, warm`);
  console.log(`    1 thread:  ${(oneMs / 1000).toFixed(2)} s   2 threads: ${(twoMs / 1000).toFixed(2)} s`);
  console.log(
    `    first 2-thread run of the process (starts its worker): ${(firstTwo.ms / 1000).toFixed(2)} s ` +
      `against ${(firstOne.ms / 1000).toFixed(2)} s for the first 1-thread run`,
  );
  console.log(
    '    ceiling on this machine: two independent 1-thread explorations side by side, warm, run at ' +
      `${ceiling.toFixed(2)}x the throughput of one (${(alone / 1000).toFixed(2)} s alone, ` +
      `${(pair / 1000).toFixed(2)} s for both)`,
  );
  console.log(
    `    speed-up: ${(oneMs / twoMs).toFixed(2)}x = ${((oneMs / twoMs / ceiling) * 100).toFixed(0)}% of the ceiling; ` +
      `same multiverse: ${same}`,
  );
  if (!same) process.exitCode = 1;
}

/** The configuration section (j) explores the dungeon with (the shipped one, with less energy). */
function dungeonConfig(energy) {
  return {
    maxDepth: 120,
    timelinesPerSplit: 30,
    globalEnergy: energy,
    adaptive: { batchSize: 30, minTimelines: 400, maxTimelines: 1000, perMarkEnergy: 10_000, warmMinTimelines: 30 },
  };
}

/**
 * `n` copies of the 1-thread dungeon exploration, each in a worker thread of its own, side by side:
 * each runs it once to warm up, then `ROUNDS` times, all copies starting each round together. Returns
 * the wall time of each round (until the slowest copy is done).
 */
async function inThreads(n, energy) {
  const code = `
    import { workerData, parentPort } from 'node:worker_threads';
    const { url, config, rounds, gate } = workerData;
    const { dungeonExplore } = await import(url);
    const explore = () => dungeonExplore.build().enableExploration(config).setIterations(1).run();
    const flags = new Int32Array(gate);
    await explore();
    for (let r = 0; r < rounds; r++) {
      // Every copy waits for the others here, so the timed runs overlap.
      Atomics.add(flags, 0, 1);
      Atomics.notify(flags, 0);
      while (Atomics.load(flags, 0) < flags[1] * (r + 1)) Atomics.wait(flags, 0, Atomics.load(flags, 0), 50);
      const started = performance.now();
      await explore();
      parentPort.postMessage(performance.now() - started);
    }`;
  const url = new URL('dungeon/dungeon-explore.sim.js', EXAMPLES).href;
  const gate = new SharedArrayBuffer(8);
  new Int32Array(gate)[1] = n;
  const times = await Promise.all(
    Array.from({ length: n }, () => {
      const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(code)}`), {
        workerData: { url, config: dungeonConfig(energy), rounds: ROUNDS, gate },
      });
      const ms = [];
      worker.on('message', (m) => ms.push(m));
      return new Promise((resolve, reject) => {
        worker.on('error', reject);
        worker.on('exit', () => resolve(ms));
      });
    }),
  );
  return Array.from({ length: ROUNDS }, (_, r) => Math.max(...times.map((t) => t[r])));
}

/**
 * An exploration whose timelines do almost nothing of their own: one workload that reaches a mark at
 * its first draw (every child of the root reseeds there, so each child is a fresh timeline), draws a
 * number and a cell out of 200 (an each-bucket), then `extraDraws` more draws. One timeline in 50
 * also hits one of 25,600 buckets (100 each-assertions of 256 keys): rare discoveries that make the
 * store keep growing through the run, as a real exploration's does (about 300 buckets at 15,000
 * timelines, 2,300 at 120,000). All `timelines` children hang off that one mark.
 */
function tinyExploration(timelines, extraDraws) {
  const workload = {
    name: 'tiny',
    async run(ctx) {
      const random = ctx.random;
      assertReachable('start');
      assertSometimes(random.randomRange(0, 1000) < 500, 'low half');
      assertSometimesEach('cell', { cell: random.randomRange(0, 200) });
      if (random.randomRange(0, 50) === 0) {
        assertSometimesEach(`room ${random.randomRange(0, 100)}`, { spot: random.randomRange(0, 256) });
      }
      let sum = 0;
      for (let i = 0; i < extraDraws; i++) sum += random.randomRange(0, 10);
      assertSometimes(sum >= 0, 'drew');
      random.random(); // a draw after the last discovery: its splitpoint has children
    },
  };
  return new SimulationBuilder()
    .workload(workload)
    .enableExploration({
      maxDepth: 1,
      timelinesPerSplit: 1,
      globalEnergy: timelines,
      adaptive: { batchSize: 30, minTimelines: timelines, maxTimelines: timelines, perMarkEnergy: timelines },
    })
    .setIterations(1);
}

/** Wall and CPU µs per explored timeline, and draws per timeline, for one tiny exploration. */
async function perTimeline(timelines, extraDraws) {
  const cpuBefore = process.cpuUsage();
  const { report, ms } = await timed(tinyExploration(timelines, extraDraws));
  const cpu = process.cpuUsage(cpuBefore);
  const e = report.exploration;
  if (e.totalTimelines !== timelines) throw new Error(`expected ${timelines} timelines, ran ${e.totalTimelines}`);
  return { us: (ms * 1000) / timelines, cpu: (cpu.user + cpu.system) / timelines, draws: e.draws / timelines };
}

/**
 * Fixed cost per explored timeline: the wall time per timeline minus what the draws it executed cost,
 * both measured in this run. A draw's cost is the slope between the tiny exploration and the same one
 * with 1 000 more draws per timeline (15 000 timelines each); what remains is everything a timeline
 * costs whatever it does: setting up and tearing down its world, cluster and store, the explorer's
 * bookkeeping, merging. Measured at 15 000 and 120 000 timelines, after a warm-up run: it must not
 * grow with the run.
 */
async function fixedCostSection() {
  const EXTRA = 1000;
  await perTimeline(5000, 0); // warm-up (JIT)
  await perTimeline(5000, EXTRA);
  const light = [];
  const heavy = [];
  const long = [];
  for (let r = 0; r < ROUNDS; r++) {
    light.push(await perTimeline(15_000, 0));
    heavy.push(await perTimeline(15_000, EXTRA));
    long.push(await perTimeline(120_000, 0));
  }
  // Wall time is what the target is about; CPU time (this process, GC threads included) is steadier
  // when other work shares the machine.
  const med = (runs, key) => ({ us: median(runs.map((r) => r[key])), draws: median(runs.map((r) => r.draws)) });
  console.log(`(k) fixed cost per explored timeline (timelines doing ~${median(light.map((r) => r.draws)).toFixed(0)} draws), median of ${ROUNDS}`);
  for (const key of ['us', 'cpu']) {
    const [l, h, g] = [med(light, key), med(heavy, key), med(long, key)];
    const perDraw = (h.us - l.us) / (h.draws - l.draws);
    const fixed = (m) => m.us - m.draws * perDraw;
    console.log(
      `    ${key === 'us' ? 'wall' : 'CPU '}: at 15,000 timelines ${fixed(l).toFixed(1)} µs, at 120,000 ${fixed(g).toFixed(1)} µs ` +
        `(ratio ${(fixed(g) / fixed(l)).toFixed(2)}); a draw ${(perDraw * 1000).toFixed(1)} ns (slope to ${EXTRA} more per timeline)`,
    );
  }
  console.log('    (target: <= 25 µs wall, constant as the run grows)');
}

/** maze-explore's shipped configuration (examples/src/maze/maze-explore.sim.ts). */
const MAZE_CONFIG = {
  maxDepth: 30,
  timelinesPerSplit: 20,
  globalEnergy: 20_000,
  adaptive: { batchSize: 20, minTimelines: 60, maxTimelines: 150, perMarkEnergy: 600, warmMinTimelines: 20 },
};

/**
 * Code coverage as a discovery signal (docs/coverage.md): its cost, and whether it finds a bug in fewer
 * timelines. Each exploration stops at its first bug; runs with and without coverage alternate.
 */
async function coverageSection() {
  const maze = await definition('maze/maze-explore.sim.js', 'mazeExplore');
  const seeds = Number(process.env.BENCH_COVERAGE_SEEDS ?? 5);
  const mazeRuns = await firstBugs(maze, 'mazeExplore', MAZE_CONFIG, seeds);
  console.log(`(n) code coverage, maze-explore (shipped adaptive configuration), root seeds 1..${seeds}, each stopped at its first bug`);
  printFirstBugs(mazeRuns);
  // A system with more code than branches its assertions mark: the transport's load balancing, counted
  // with the example (the default rule leaves the framework's packages out).
  const lb = await definition('load-balance/load-balance-explore.sim.js', 'loadBalanceExplore');
  const lbConfig = {
    maxDepth: 8,
    timelinesPerSplit: 8,
    globalEnergy: 3_000,
    adaptive: { batchSize: 8, minTimelines: 8, maxTimelines: 64, perMarkEnergy: 64, warmMinTimelines: 8 },
  };
  const modules = [new URL('load-balance/', EXAMPLES).href, new URL('../packages/transport/dist/src/', import.meta.url).href];
  const lbRuns = await firstBugs(lb, 'loadBalanceExplore', lbConfig, 4, { modules });
  console.log('    load-balance-explore, adaptive (batches of 8, barren after one), the example and @moonpool/transport counted');
  printFirstBugs(lbRuns);

  if (process.env.BENCH_SKIP_DUNGEON === '1') return;
  const dungeon = await definition('dungeon/dungeon-explore.sim.js', 'dungeonExplore');
  const energy = Number(process.env.BENCH_COVERAGE_DUNGEON_ENERGY ?? 30_000);
  const dungeonSeeds = Number(process.env.BENCH_COVERAGE_DUNGEON_SEEDS ?? 2);
  const config = {
    maxDepth: 120,
    timelinesPerSplit: 30,
    globalEnergy: energy,
    adaptive: { batchSize: 30, minTimelines: 400, maxTimelines: 1000, perMarkEnergy: 10_000, warmMinTimelines: 30 },
  };
  const dungeonRuns = await firstBugs(dungeon, 'dungeonExplore', config, dungeonSeeds);
  console.log(
    `    dungeon-explore (shipped adaptive settings, 1 thread, ${fmt(energy)} energy per seed), root seeds 1..${dungeonSeeds}`,
  );
  printFirstBugs(dungeonRuns);
}

/** For root seeds 1..n: timelines explored until the first bug, and wall time, without and with coverage. */
async function firstBugs({ def, url }, exportName, config, n, codeCoverage = true) {
  const one = async (seed, coverage) => {
    const stop = new AbortController();
    let at = null;
    const started = performance.now();
    const report = await def
      .build()
      .setDebugSeeds([seed])
      .setWorkerModule(url, exportName)
      .enableExploration(coverage ? { ...config, codeCoverage } : config)
      .onExplorationProgress((s) => {
        if (at === null && s.bugs > 0) {
          at = s.timelines;
          stop.abort();
        }
      })
      .setAbortSignal(stop.signal)
      .run();
    const { totalTimelines: timelines, codeCoverage: code } = report.exploration;
    return { at, timelines, ms: performance.now() - started, code };
  };
  const runs = [];
  for (let seed = 1; seed <= n; seed++) {
    runs.push({ seed, plain: await one(seed, false), covered: await one(seed, true) });
  }
  return runs;
}

function printFirstBugs(runs) {
  const first = (r) => (r.at === null ? `no bug in ${fmt(r.timelines)} timelines` : `first bug after ${fmt(r.at)}`);
  for (const { seed, plain, covered } of runs) {
    console.log(
      `    seed ${seed}: assertions alone: ${first(plain)}; with code coverage: ${first(covered)}` +
        `  (${(plain.ms / 1000).toFixed(2)} s vs ${(covered.ms / 1000).toFixed(2)} s)`,
    );
  }
  const sum = (f) => runs.reduce((n, r) => n + f(r), 0);
  const last = runs[runs.length - 1]?.covered.code;
  console.log(
    `    in all: ${fmt(sum((r) => r.plain.timelines))} vs ${fmt(sum((r) => r.covered.timelines))} timelines; ` +
      `wall time with coverage / without: ${(sum((r) => r.covered.ms) / sum((r) => r.plain.ms)).toFixed(2)}x` +
      (last ? `; blocks covered ${last.blocksCovered} / ${last.blocks} (${last.functions} functions)` : ''),
  );
}

/** The same maze exploration to its end, with and without coverage, alternated: the cost per timeline. */
async function coverageOverhead() {
  const { def, url } = await definition('maze/maze-explore.sim.js', 'mazeExplore');
  const run = async (coverage) => {
    // CPU time of the whole process (every thread): steadier than wall time on a shared machine.
    const cpu = process.cpuUsage();
    const result = await timed(
      def
        .build()
        .setWorkerModule(url, 'mazeExplore')
        .enableExploration(coverage ? { ...MAZE_CONFIG, codeCoverage: true } : MAZE_CONFIG),
    );
    const used = process.cpuUsage(cpu);
    return { ...result, cpuMs: (used.user + used.system) / 1000 };
  };
  const plain = [];
  const covered = [];
  for (let r = 0; r < ROUNDS; r++) {
    plain.push(await run(false));
    covered.push(await run(true));
  }
  const same = covered.every((c) => c.report.exploration.totalTimelines === plain[0].report.exploration.totalTimelines);
  const timelines = plain[0].report.exploration.totalTimelines;
  console.log(`(o) code coverage overhead, maze-explore shipped configuration to its end, median of ${ROUNDS}`);
  for (const [what, f] of [['wall', (r) => r.ms], ['CPU', (r) => r.cpuMs]]) {
    const p = median(plain.map(f));
    const c = median(covered.map(f));
    console.log(
      `    ${what} time without: ${(p / 1000).toFixed(2)} s   with: ${(c / 1000).toFixed(2)} s   ratio ${(c / p).toFixed(2)}x` +
        `  (${(((c - p) * 1000) / timelines).toFixed(0)} µs more per timeline)`,
    );
  }
  console.log(`    ${fmt(timelines)} timelines; same multiverse with and without: ${same}`);
}

/**
 * One assertion hit through the public entry points, recorded by a store installed as a simulation
 * installs it: the maze's `gate` (an each-bucket with a three-field key, 80 buckets), an always that
 * holds, a sometimes already seen; against a `Map.get` of a precomputed key in the same loop.
 */
const HIT_CASES = {
  each(n) {
    for (let i = 0; i < n; i++) assertSometimesEach('gate', { lock: i & 3, depth: 1 + ((i >> 2) % 5), locks: (i >> 4) & 3 });
  },
  always(n) {
    for (let i = 0; i < n; i++) assertAlways(i >= 0, 'holds');
  },
  sometimes(n) {
    for (let i = 0; i < n; i++) assertSometimes(i >= 0, 'seen');
  },
  mapGet(n) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += HIT_MAP.get(HIT_KEYS[i % HIT_KEYS.length]);
    return sum;
  },
};
const HIT_KEYS = Array.from({ length: 80 }, (_, i) => `gate ${i}`);
const HIT_MAP = new Map(HIT_KEYS.map((k, i) => [k, i]));
/** Hits timed in a fresh process (`BENCH_ONLY=hit-cold`): the ones V8 runs before and while it optimises. */
const COLD_HITS = 100_000;

/** CPU ns per hit of `HIT_CASES[name]` over `n` hits, on a store of its own. */
function hitCost(name, n) {
  const instrumentation = { assertions: new AssertionStore(), buggify: () => false };
  installInstrumentation(instrumentation);
  try {
    const before = process.cpuUsage();
    HIT_CASES[name](n);
    const used = process.cpuUsage(before);
    return ((used.user + used.system) * 1000) / n;
  } finally {
    uninstallInstrumentation(instrumentation);
  }
}

/** Warm: each case alternated, after a warm-up; cold: the first hits of a fresh process (start-up of V8's tiers). */
function hitSection() {
  const N = 1_000_000;
  for (const name in HIT_CASES) hitCost(name, N);
  const runs = Object.fromEntries(Object.keys(HIT_CASES).map((name) => [name, []]));
  for (let r = 0; r < 2 * ROUNDS + 1; r++) for (const name in HIT_CASES) runs[name].push(hitCost(name, N));
  const base = median(runs.mapGet);
  console.log(`(p) one assertion hit, CPU ns per hit (median of ${2 * ROUNDS + 1} x ${fmt(N)}, warm; ratio to Map.get)`);
  for (const name in HIT_CASES) {
    const ns = median(runs[name]);
    console.log(`    ${name.padEnd(9)} ${ns.toFixed(1).padStart(6)} ns  ${(ns / base).toFixed(2)}x`);
  }
  const cold = [];
  for (let r = 0; r < 2 * ROUNDS + 1; r++) {
    const out = spawnSync(process.execPath, [fileURLToPath(import.meta.url)], { encoding: 'utf8', env: { ...process.env, BENCH_ONLY: 'hit-cold' } });
    cold.push(Number(out.stdout));
  }
  console.log(`    each, first ${fmt(COLD_HITS)} hits of a fresh process: ${median(cold).toFixed(0)} ns per hit (median of ${cold.length})`);
}

// BENCH_ONLY=fixed runs section (k) alone, BENCH_ONLY=threads section (j), BENCH_ONLY=maze section (h),
// BENCH_ONLY=hit section (p).
if (process.env.BENCH_ONLY === 'fixed') await fixedCostSection();
else if (process.env.BENCH_ONLY === 'maze') await mazeSection();
else if (process.env.BENCH_ONLY === 'threads') await threadsSection();
else if (process.env.BENCH_ONLY === 'hit') hitSection();
else if (process.env.BENCH_ONLY === 'hit-cold') process.stdout.write(String(hitCost('each', COLD_HITS)));
else {
  await mazeSection();
  await snapshotSection();
  if (process.env.BENCH_SKIP_DUNGEON !== '1') await dungeonSection();
  await fixedCostSection();
  hitSection();
  if (process.env.BENCH_SKIP_COVERAGE !== '1') {
    await coverageOverhead();
    await coverageSection();
  }
}
