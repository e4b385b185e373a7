// The assertion catalogue: sites known before the run, so the ones never reached are reported.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { assertAlways, assertReachable, assertSometimes } from '@moonpool/core';
import { catalogueAssertions } from '../../src/assertions/catalogue.js';
import { SimulationBuilder } from '../../src/builder/builder.js';
import { formatReport } from '../../src/report/format-report.js';
import { reportToJson } from '../../src/report/report-json.js';
import { reportSucceeded } from '../../src/report/simulation-report.js';

const fixture = (name: string): string => new URL(`../../../test/fixtures/catalogue/${name}`, import.meta.url).href;

describe('assertion catalogue', () => {
  it('finds literal-message sites through imports, re-exports and dynamic imports, once each', async () => {
    assert.deepEqual(await catalogueAssertions([fixture('entry.mjs')]), [
      { kind: 'Always', msg: 'entry holds' },
      { kind: 'Reachable', msg: 'template site' },
      { kind: 'NumericSometimes', msg: 'big enough' },
      { kind: 'Sometimes', msg: 'member call' },
      { kind: 'Unreachable', msg: 'helper unreachable' },
      { kind: 'EachBucket', msg: 'each site' },
      { kind: 'AlwaysOrUnreachable', msg: 'dynamic site' },
    ]);
  });

  it('skips modules it cannot read or parse', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'catalogue-'));
    try {
      const broken = join(dir, 'broken.mjs');
      writeFileSync(broken, "assertAlways(true, 'lost'); this is not javascript (");
      assert.deepEqual(await catalogueAssertions([pathToFileURL(broken).href, fixture('missing.mjs')]), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports sites no iteration reached: a must-hit always fails the run, sometimes and reachable are coverage gaps', async () => {
    const report = await new SimulationBuilder()
      .workload({
        name: 'branches',
        async run(ctx) {
          const never = ctx.time.now() < 0;
          assertAlways(true, 'always reached');
          if (never) assertAlways(true, 'always in a dead branch');
          if (never) assertSometimes(true, 'sometimes in a dead branch');
          if (never) assertReachable('reachable in a dead branch');
        },
      })
      .catalogueAssertions(import.meta.url)
      .setIterations(3)
      .run();
    assert.equal(report.failedRuns, 0, 'every iteration passed');
    assert.deepEqual(report.alwaysViolations, ['always in a dead branch']);
    assert.deepEqual(report.coverageViolations, ['sometimes in a dead branch', 'reachable in a dead branch']);
    assert.match(formatReport(report), /\[Always\] "always in a dead branch" was never reached/);
    assert.match(formatReport(report), /\[Reachable\] "reachable in a dead branch" was never reached/);
    assert.equal(reportSucceeded(report), false, 'a must-hit always-assertion never hit fails the run');
    const unreached = report.assertions.filter((a) => a.unreached).map((a) => a.msg);
    assert.ok(unreached.includes('always in a dead branch'));
    assert.ok(!unreached.includes('always reached'));
    assert.match(formatReport(report), /"always in a dead branch"\s+never reached/);
    assert.equal(reportToJson(report).assertions.find((a) => a.msg === 'always in a dead branch')?.unreached, true);
  });

  it('rejects a catalogue entry that is not a URL', () => {
    assert.throws(() => new SimulationBuilder().catalogueAssertions('not a url'), /module URLs/);
  });
});
