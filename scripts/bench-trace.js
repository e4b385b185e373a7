// Traces of one execution (`--trace`, builder.trace): size of the file and the time to run and write it,
// against the same execution untraced in the same run (ratios; this VM's speed drifts). Run by
// `npm run bench` after its other sections; alone: `node scripts/bench-trace.js`.
//   - dungeon-explore, reduced energy: its root seed, and a bug timeline's recipe if the exploration finds one;
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
    `      wall: untraced ${p.toFixed(0)} ms, traced (run + write) ${t.toFixed(0)} ms: ${(t / p).toFixed(2)}x, ` +
      `about ${(((t - p) * 1000) / Math.max(1, summary.events)).toFixed(1)} µs more per trace event; ` +
      `same trace hash: ${run.traceHash === untracedHash}`,
  );
  if (run.traceHash !== untracedHash) process.exitCode = 1;
}

async function main() {
  console.log(`(t) traces of one execution (--trace): size and time, median of ${ROUNDS} alternated rounds`);

  const dungeon = await definition('dungeon/dungeon-explore.sim.js', 'dungeonExplore');
  const energy = Number(process.env.BENCH_TRACE_DUNGEON_ENERGY ?? 20_000);
  const explored = await dungeon
    .build()
    .enableExploration({
      maxDepth: 120,
      timelinesPerSplit: 30,
      globalEnergy: energy,
      adaptive: { batchSize: 30, minTimelines: 400, maxTimelines: 1000, perMarkEnergy: 10_000, warmMinTimelines: 30 },
    })
    .setDebugSeeds([1n])
    .run();
  await measure('dungeon-explore, root seed 1', () => dungeon.build().setDebugSeeds([1n]));
  const bug = explored.exploration?.bugRecipes[0];
  if (bug === undefined) console.log(`    dungeon-explore: no bug in ${fmt(energy)} energy from seed 1 (no recipe to trace)`);
  else {
    const recipe = bug.recipe.map((s) => `${s.count}@${s.seed}`).join(' -> ');
    await measure(`dungeon-explore, recipe ${bug.rootSeed}:${recipe.length > 60 ? `${recipe.slice(0, 60)}…` : recipe}`, () =>
      dungeon.build().replayRecipe(bug));
  }

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
