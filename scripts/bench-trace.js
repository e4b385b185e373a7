// Traces of one execution (`--trace`, builder.trace): size of the file and the time to run and write it,
// against the same execution untraced in the same run (ratios; this VM's speed drifts). Run by
// `npm run bench` after its other sections; alone: `node scripts/bench-trace.js`.
//   - dungeon-explore: a root timeline, and the recipe of the first bug its shipped exploration finds;
//   - maze-explore: the recipe of its first bug;
//   - an execution of about 10 000 simulation events (kv-durable: servers, a write-ahead log, clients, chaos).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const EXAMPLES = new URL('../examples/dist/src/', import.meta.url);
const dir = mkdtempSync(join(tmpdir(), 'moonpool-bench-trace-'));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n) => Math.round(n).toLocaleString('en-US');

async function definition(file, exportName) {
  const mod = await import(new URL(file, EXAMPLES).href);
  return mod[exportName];
}

/** Wall ms of one execution built by `make` (a builder pinned to it), with or without a trace file. */
async function once(make, file) {
  let summary = null;
  const builder = make();
  if (file !== null) builder.trace({ output: file, onWritten: (s) => (summary = s) });
  const started = performance.now();
  const report = await builder.run();
  return { ms: performance.now() - started, run: report.runs[0], summary };
}

/** Rounds alternating untraced and traced runs of the same execution; medians and their ratio. */
async function measure(label, make) {
  const file = join(dir, 'trace.json');
  await once(make, null); // warm-up
  const plain = [];
  const traced = [];
  let last = null;
  for (let r = 0; r < ROUNDS; r++) {
    plain.push((await once(make, null)).ms);
    last = await once(make, file);
    traced.push(last.ms);
  }
  const { run, summary } = last;
  const untracedHash = (await once(make, null)).run.traceHash;
  const p = median(plain);
  const t = median(traced);
  console.log(`    ${label}: ${fmt(run.events)} simulation events, ${(run.simTimeMs / 1000).toFixed(1)} s simulated`);
  console.log(
    `      trace: ${fmt(summary.events)} trace events, ${(summary.bytes / 1e6).toFixed(2)} MB ` +
      `(${Math.round(summary.bytes / summary.events)} B/event)${summary.cut ? `, CUT at ${summary.cut.atMs} ms` : ''}`,
  );
  console.log(
    `      wall: untraced ${p.toFixed(1)} ms, traced (run + write) ${t.toFixed(1)} ms: ${(t / p).toFixed(2)}x, ` +
      `about ${(((t - p) * 1000) / Math.max(1, summary.events)).toFixed(1)} µs more per trace event; ` +
      `same trace hash: ${run.traceHash === untracedHash}`,
  );
  if (run.traceHash !== untracedHash) process.exitCode = 1;
}

/** Traces the first bug timeline of an exploration report, if it found one. */
async function measureFirstBug(name, def, report) {
  const bug = report.exploration?.bugRecipes[0];
  if (bug === undefined) {
    console.log(`    ${name}: the exploration found no bug (no recipe to trace)`);
    return;
  }
  const steps = bug.recipe.length;
  await measure(`${name}, bug recipe of seed ${bug.rootSeed} (${steps} reseed${steps === 1 ? '' : 's'})`, () =>
    def.build().replayRecipe(bug));
}

async function main() {
  console.log(`(t) traces of one execution (--trace): size and time, median of ${ROUNDS} alternated rounds`);

  const dungeon = await definition('dungeon/dungeon-explore.sim.js', 'dungeonExplore');
  // Reduced explorations find no treasure: the shipped configuration's first root seed does (in
  // about 10 s), and gives the bug timeline's recipe to trace.
  const explored = await dungeon
    .build()
    .setIterations(1)
    .setWorkerModule(new URL('dungeon/dungeon-explore.sim.js', EXAMPLES), 'dungeonExplore')
    .run();
  // An empty recipe is the root timeline: the one execution `--seed` traces, without the exploration.
  const root = { rootSeed: 1n, recipe: [] };
  await measure('dungeon-explore, root timeline of seed 1', () => dungeon.build().replayRecipe(root));
  await measureFirstBug('dungeon-explore', dungeon, explored);

  // maze-explore's bugs come cheap: a recipe of a few reseeds.
  const maze = await definition('maze/maze-explore.sim.js', 'mazeExplore');
  const mazeExplored = await maze.build().setDebugSeeds([1n]).run();
  await measureFirstBug('maze-explore', maze, mazeExplored);

  // The kv-durable seed whose execution is closest to 10 000 events among the first few.
  const kv = await definition('kv-durable/kv-durable.sim.js', 'kvDurable');
  const report = await kv.build().setDebugSeeds([1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n]).run();
  const closest = [...report.runs].sort((a, b) => Math.abs(a.events - 10_000) - Math.abs(b.events - 10_000))[0];
  await measure(`kv-durable, seed ${closest.seed}`, () => kv.build().setDebugSeeds([closest.seed]));
}

try {
  await main();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
