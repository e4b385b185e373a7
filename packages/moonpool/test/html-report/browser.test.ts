// The HTML report in a real headless Chromium: the page of a known run loads without errors or
// policy violations and shows the run's numbers; hostile markup from user code executes nothing.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'puppeteer-core';
import { reproduceCommand, reproduceRecipeCommand } from '../../src/cli/reproduce.js';
import { parseBugRecipe } from '../../src/index.js';
import type { SimulationJson } from '../../src/html-report/input.js';
import { renderHtmlReport } from '../../src/html-report/page.js';
import { cli } from '../support/run-cli.js';
import { browserSkip, launchBrowser, openReport, type PageTrouble, texts } from './support/browser.js';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/.html-report', import.meta.url));
const skip = browserSkip();

function clean(trouble: PageTrouble): void {
  assert.deepEqual(trouble, { console: [], errors: [], violations: [], requests: [] });
}

/** Runs `filter` with --json and --report; the JSON lines and the page's path. */
async function runWithReport(dir: string, filter: string): Promise<{ lines: SimulationJson[]; file: string }> {
  const file = join(dir, `${filter}.html`);
  const r = await cli(['sim', 'run', filter, '--dir', FIXTURES, '--json', '--report', file]);
  assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`);
  assert.match(r.stderr, /HTML report written to/);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as SimulationJson);
  return { lines, file };
}

describe('the HTML report in a browser', { skip }, () => {
  let browser: Browser;
  let dir: string;
  before(async () => {
    browser = await launchBrowser();
    dir = mkdtempSync(join(tmpdir(), 'moonpool-html-'));
  });
  after(async () => {
    await browser?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('the page of a known run loads cleanly and shows its verdict, counts, failing seeds and commands', async () => {
    const { lines, file } = await runWithReport(dir, 'known');
    // Discovered in file order: the exploration first.
    const [explore, flaky] = lines;
    assert.ok(flaky && explore && flaky.name === 'known-flaky' && explore.name === 'known-explore');
    assert.ok(flaky.seedsFailing.length > 0 && flaky.successfulRuns > 0, 'the fixture fails on some seeds only');
    const { page, trouble } = await openReport(browser, file);
    clean(trouble);
    assert.deepEqual(await texts(page, '#verdict'), ['FAILED']);
    assert.deepEqual(await texts(page, 'h2'), ['known-explore PASS', 'known-flaky FAIL']);
    const [facts] = await texts(page, '#sim-2 .facts');
    assert.match(facts ?? '', new RegExp(`iterations: ${flaky.iterations} passed: ${flaky.successfulRuns} failed: ${flaky.failedRuns} `));
    // Every failing seed with the command that re-runs it, as the command line prints it.
    const commands = await texts(page, '#sim-2 .cmd');
    assert.deepEqual(commands, flaky.seedsFailing.map((s) => reproduceCommand('known-flaky', BigInt(s), FIXTURES)));
    const seedHeads = await texts(page, '#sim-2 h4');
    assert.deepEqual(seedHeads, flaky.seedsFailing.map((s) => `seed ${s}`));
    // The assertion that failed, with its counts; the seeds table lists every run with its hash.
    const failing = flaky.assertions.find((a) => a.msg === 'draw below 0.9');
    const rows = await texts(page, '#sim-2 table tr');
    assert.ok(rows.includes(`FAIL always draw below 0.9 ${failing?.passCount} ${failing?.failCount}`), rows.join('\n'));
    for (const run of flaky.runs) {
      assert.ok(rows.some((r) => r.startsWith(`${run.seed} `) && r.includes(run.traceHash)), `seed ${run.seed}`);
    }

    // The exploration: bugs with their replay commands, the coverage curve, one tree per root seed.
    const e = explore.exploration;
    assert.ok(e && e.bugsFound > 0 && e.multiverse);
    const exploreCommands = await texts(page, '#sim-1 .cmd');
    for (const bug of e.bugRecipes) {
      const cmd = reproduceRecipeCommand('known-explore', parseBugRecipe(`${bug.rootSeed}:${bug.recipe}`), FIXTURES);
      assert.ok(exploreCommands.includes(cmd), cmd);
    }
    const [exploreFacts] = await texts(page, '#sim-1 .exploration .facts');
    assert.match(exploreFacts ?? '', new RegExp(`timelines: ${e.totalTimelines} fork points: ${e.forkPoints} bugs: ${e.bugsFound} `));
    assert.equal((await texts(page, '#sim-1 svg.chart polyline')).length, 1);
    const seeds = await texts(page, '#sim-1 details[open] > summary');
    const roots = seeds.filter((s) => s.startsWith('root seed'));
    assert.deepEqual(roots.map((s) => s.split(':')[0]), explore.seedsUsed.map((s) => `root seed ${s}`));
    assert.ok((await texts(page, '#sim-1 details details > summary')).length >= Math.min(e.forkPoints, 12));
    await page.close();
  });

  it('hostile markup in messages, error texts, marks and bucket keys executes nothing', async () => {
    const { lines, file } = await runWithReport(dir, 'hostile');
    assert.deepEqual(lines.map((l) => l.name), ['hostile-explore', 'hostile-messages']);
    // The same page with names, hashes, seeds and warnings made hostile too (a report edited by hand).
    const payload = '<img src=x onerror="globalThis.__pwned=1"></script><script>globalThis.__pwned=2</script>';
    const forged = lines.map((l) => ({
      ...l,
      name: `${l.name}${payload}`,
      warnings: [payload],
      seedsFailing: [...l.seedsFailing, payload],
      runs: l.runs.map((r) => ({ ...r, traceHash: payload, error: payload })),
    }));
    const forgedFile = join(dir, 'forged.html');
    writeFileSync(forgedFile, renderHtmlReport({ simulations: forged, dir: payload }));
    for (const [page, bypassCsp] of [[file, false], [file, true], [forgedFile, false], [forgedFile, true]] as const) {
      // Without the policy too: the escaping alone keeps the text inert.
      const opened = await openReport(browser, page, bypassCsp);
      clean(opened.trouble);
      assert.equal(await opened.page.evaluate('globalThis.__pwned'), undefined, `${page} bypassCsp=${bypassCsp}`);
      assert.equal(await opened.page.evaluate('document.querySelectorAll("img, script, iframe, object").length'), 0);
      const body = String(await opened.page.evaluate('document.body.textContent'));
      assert.match(body, /<img src=x onerror="globalThis.__pwned=/);
      assert.match(body, /<\/script><script>globalThis.__pwned=/);
      await opened.page.close();
    }
  });
});
