// Runs the README's quick start exactly as written, so the README cannot drift from what the code does.
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { SimulationReport } from 'moonpool';
import ts from 'typescript';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const quickStart = readme.split('## Quick start')[1]?.split('\n## ')[0] ?? '';

/** The fenced blocks of the quick start written in `lang` (whatever follows it, e.g. `runnable`), in order. */
function blocks(lang: string): string[] {
  return [...quickStart.matchAll(new RegExp('```' + lang + '(?: [^\\n]*)?\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1] ?? '');
}

let runs = 0;
/** Compiles `code` as the README user would, runs it, and returns what it printed and its report. */
async function run(code: string): Promise<{ printed: string; report: SimulationReport }> {
  const js = ts.transpileModule(`${code}\nexport { report };\n`, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  // Next to the compiled tests, so that `moonpool` resolves as it does for a user of the package.
  const file = join(here, `readme-quick-start-${process.pid}-${runs++}.mjs`);
  writeFileSync(file, js);
  const printed: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => printed.push(args.join(' '));
  try {
    const module = (await import(pathToFileURL(file).href)) as { report: SimulationReport };
    return { printed: printed.join('\n'), report: module.report };
  } finally {
    console.log = log;
    rmSync(file, { force: true });
  }
}

describe('README quick start', () => {
  const [example, variantLine] = blocks('ts');
  const freshLine = /^.*'heartbeat is fresh'.*$/m;

  it('passes all 1 000 seeds as written', async () => {
    assert.ok(example !== undefined && freshLine.test(example), 'the quick start example is missing');
    const { printed, report } = await run(example);
    assert.equal(report.iterations, 1000);
    assert.equal(report.failedRuns, 0, printed);
    assert.ok(printed.includes('Passed: 1000  |  Failed: 0'), printed);
  });

  it('fails with the shown report once the bound is 100 ms, and the printed replay line replays it', async () => {
    assert.ok(example !== undefined && variantLine !== undefined);
    const variant = example.replace(freshLine, variantLine.trimEnd());
    assert.notEqual(variant, example);
    const { printed, report } = await run(variant);
    const [shown] = blocks('text');
    assert.ok(shown !== undefined);
    // Every line the README shows, except the elisions, is printed as shown.
    for (const line of shown.split('\n')) {
      if (line.trim() === '' || line.trim() === '…') continue;
      assert.ok(printed.includes(line), `README shows ${JSON.stringify(line)} but the run printed:\n${printed}`);
    }
    const replay = /^ {2}(\.setDebugSeeds\(\[.*\]\))$/m.exec(printed)?.[1];
    assert.ok(replay !== undefined, printed);
    const replayed = await run(variant.replace('.setIterations(1_000)', `.setIterations(1_000)\n  ${replay}`));
    const shownSeeds = report.seedsFailing.slice(0, 10);
    assert.deepEqual(replayed.report.seedsUsed, shownSeeds);
    assert.deepEqual(replayed.report.seedsFailing, shownSeeds);
    const hash = (r: SimulationReport, seed: bigint) => r.runs.find((x) => x.seed === seed)?.traceHash;
    for (const seed of shownSeeds) assert.equal(hash(replayed.report, seed), hash(report, seed));
  });
});
