// The HTML report's figures (section (r) of `npm run bench`; also runnable alone:
// `node scripts/bench-html-report.js`): its size and the time to draw and write it, for dungeon-explore
// at reduced energy, for 10 000 one-event iterations of the maze and for a few lease iterations of about
// 10 000 events in all; what keeping the multiverse map costs an exploration (CPU time with and without,
// same run); and how long a headless Chromium takes to open each page.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { htmlReportInput } from '../packages/moonpool/dist/src/cli/report-file.js';
import { renderHtmlReport } from '../packages/moonpool/dist/src/html-report/page.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n) => Math.round(n).toLocaleString('en-US');
const kib = (bytes) => `${(bytes / 1024).toFixed(0)} KiB`;
const EXAMPLES = new URL('../examples/dist/src/', import.meta.url);
/** A tenth of the shipped 400 000: the same multiverse shape, a few seconds instead of fifteen. */
const DUNGEON_ENERGY = 40_000;

async function definition(file, exportName) {
  const def = (await import(new URL(file, EXAMPLES).href))[exportName];
  if (def === undefined) throw new Error(`${file} has no export ${exportName} (run \`npm run build\`)`);
  return def;
}

/** Runs `build()`'s builder as the command does; its outcome, wall and CPU milliseconds. */
async function run(def, configure) {
  const builder = configure(def.build().setName(def.name));
  const cpu = process.cpuUsage();
  const started = performance.now();
  const report = await builder.run();
  const used = process.cpuUsage(cpu);
  return {
    outcome: { name: def.name, report, expectFailure: def.expectFailure },
    ms: performance.now() - started,
    cpuMs: (used.user + used.system) / 1000,
  };
}

/** Draws and writes the page of `outcome` `ROUNDS` times: median ms to draw, to write, and the size. */
async function writeTimes(outcome, file) {
  const draw = [];
  const write = [];
  let html;
  for (let r = 0; r < ROUNDS; r++) {
    const started = performance.now();
    html = renderHtmlReport(htmlReportInput([outcome], undefined));
    const drawn = performance.now();
    await writeFile(file, html, 'utf8');
    write.push(performance.now() - drawn);
    draw.push(drawn - started);
  }
  const json = JSON.stringify(outcome.report).length;
  return { drawMs: median(draw), writeMs: median(write), bytes: (await stat(file)).size, json };
}

const dir = mkdtempSync(join(tmpdir(), 'moonpool-bench-html-'));
try {
  console.log('(r) the HTML report (--report): size, time to draw and write, browser load time');
  const dungeon = await definition('dungeon/dungeon-explore.sim.js', 'dungeonExplore');
  // The shipped configuration (examples/src/dungeon/dungeon-explore.sim.ts) with less energy, one thread.
  const reduced = (record) => (b) => {
    b.enableExploration({
      maxDepth: 120,
      timelinesPerSplit: 30,
      globalEnergy: DUNGEON_ENERGY,
      adaptive: { batchSize: 30, minTimelines: 400, maxTimelines: 1000, perMarkEnergy: 10_000, warmMinTimelines: 30 },
    });
    return record ? b.recordMultiverseMap() : b;
  };
  // The map's cost to the exploration: CPU time with and without it, interleaved rounds.
  const withMap = [];
  const without = [];
  let mapped;
  let plain;
  for (let r = 0; r < ROUNDS; r++) {
    plain = await run(dungeon, reduced(false));
    without.push(plain.cpuMs);
    mapped = await run(dungeon, reduced(true));
    withMap.push(mapped.cpuMs);
  }
  const e = mapped.outcome.report.exploration;
  const same =
    JSON.stringify(mapped.outcome.report.runs.map((x) => x.traceHash)) ===
      JSON.stringify(plain.outcome.report.runs.map((x) => x.traceHash)) &&
    JSON.stringify(e.bugRecipes.map((b) => b.traceHash)) ===
      JSON.stringify(plain.outcome.report.exploration.bugRecipes.map((b) => b.traceHash));
  if (!same) {
    console.error('    the multiverse map changed the exploration (trace hashes differ)');
    process.exitCode = 1;
  }
  console.log(
    `    dungeon-explore, energy ${fmt(DUNGEON_ENERGY)}: ${fmt(e.totalTimelines)} timelines, ${fmt(e.forkPoints)} fork points,` +
      ` ${e.bugsFound} bugs; CPU ${fmt(median(without))} ms without the map, ${fmt(median(withMap))} ms with it` +
      ` (ratio ${(median(withMap) / median(without)).toFixed(3)}; trace hashes ${same ? 'identical' : 'DIFFER'})`,
  );
  const cases = [['dungeon-explore (reduced energy)', mapped]];
  const maze = await definition('maze/maze.sim.js', 'maze');
  cases.push(['maze, 10,000 iterations of one event', await run(maze, (b) => b.setIterations(10_000))]);
  const lease = await definition('lease/lease.sim.js', 'lease');
  cases.push(['lease, 5 iterations (~10,000 events)', await run(lease, (b) => b.setIterations(5))]);

  const pages = [];
  for (const [name, { outcome, ms }] of cases) {
    const file = join(dir, `${pages.length}.html`);
    const t = await writeTimes(outcome, file);
    const events = outcome.report.runs.reduce((n, x) => n + x.events, 0);
    const size = outcome.report.exploration === undefined
      ? `${fmt(events)} events`
      : `${fmt(outcome.report.exploration.totalTimelines)} timelines`;
    console.log(
      `    ${name}: ${size}, run ${fmt(ms)} ms; page ${kib(t.bytes)} (JSON report ${kib(t.json)}),` +
        ` drawn in ${t.drawMs.toFixed(1)} ms, written in ${t.writeMs.toFixed(1)} ms`,
    );
    pages.push([name, file]);
  }
  await browserLoads(pages);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/** Opens each page `ROUNDS` times in a fresh tab of a headless Chromium: median ms to its load event. */
async function browserLoads(pages) {
  const executablePath = ['/usr/bin/chromium-headless-shell', '/usr/bin/chromium'].find((p) => existsSync(p));
  if (executablePath === undefined) {
    console.log('    browser load: skipped, no headless Chromium (apt-get install chromium-headless-shell)');
    return;
  }
  const { default: puppeteer } = await import('puppeteer-core');
  const browser = await puppeteer.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    for (const [name, file] of pages) {
      const loads = [];
      for (let r = 0; r < ROUNDS; r++) {
        const page = await browser.newPage();
        const started = performance.now();
        await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
        loads.push(performance.now() - started);
        await page.close();
      }
      console.log(`    browser load (headless Chromium, to the load event): ${name}: ${median(loads).toFixed(0)} ms`);
    }
  } finally {
    await browser.close();
  }
}
