// The HTML page as text: its policy, its escaping and its caps, without a browser.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { escapeHtml } from '../../src/html-report/escape.js';
import type { SimulationJson } from '../../src/html-report/input.js';
import { renderHtmlReport } from '../../src/html-report/page.js';

const HOSTILE = '<img src=x onerror="globalThis.__pwned=1">\'</script><script>globalThis.__pwned=2</script>&amp;';

/** A plain simulation of `n` runs, the first `failing` of which failed. */
function simulation(n: number, failing: number, text = 'boom'): SimulationJson {
  const runs = Array.from({ length: n }, (_, i) => ({
    seed: String(1000 + i),
    ok: i >= failing,
    traceHash: i.toString(16).padStart(16, '0'),
    events: 10,
    simTimeMs: 5,
    wallMs: 1,
    alwaysViolations: i < failing ? [text] : [],
    ...(i < failing ? { error: `always-violation: ${text}` } : {}),
  }));
  return {
    name: 'many',
    iterations: n,
    successfulRuns: n - failing,
    failedRuns: failing,
    seedsUsed: runs.map((r) => r.seed),
    seedsFailing: runs.filter((r) => !r.ok).map((r) => r.seed),
    alwaysViolations: failing > 0 ? [text] : [],
    coverageViolations: [],
    warnings: [],
    assertions: [{ msg: text, kind: 'Always', status: failing > 0 ? 'fail' : 'pass', passCount: n - failing, failCount: failing }],
    runs,
    totalWallMs: n,
  };
}

/** The one `<style>` element's text and the policy's allowed hash. */
function styleAndPolicy(html: string): { style: string; policy: string } {
  const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1];
  const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1];
  assert.ok(style !== undefined && policy !== undefined);
  return { style, policy: policy.replaceAll('&#39;', "'") };
}

describe('the HTML report page', () => {
  it('escapes the five characters that could end text or an attribute', () => {
    assert.equal(escapeHtml('<a href="x" title=\'y\'>&</a>'), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('allows nothing but its own style sheet, by hash: no script, no load, no inline handler', () => {
    const html = renderHtmlReport({ simulations: [simulation(3, 1, HOSTILE)], dir: HOSTILE });
    const { style, policy } = styleAndPolicy(html);
    const hash = createHash('sha256').update(style).digest('base64');
    assert.equal(policy, `default-src 'none'; style-src 'sha256-${hash}'; base-uri 'none'; form-action 'none'`);
    assert.ok(html.indexOf('Content-Security-Policy') < html.indexOf('<style>'), 'the policy comes first');
    assert.equal(html.match(/<style>/g)?.length, 1);
    assert.doesNotMatch(html, /<script|<img|<iframe|<link|<object|<embed/i);
    // Every tag in the page (user text has no `<` left): no handler, no style attribute, no outside link.
    const tags = html.match(/<[a-z][^>]*>/gi) ?? [];
    assert.ok(tags.length > 50);
    for (const tag of tags) {
      assert.doesNotMatch(tag, /\son[a-z]+\s*=/i, tag);
      assert.doesNotMatch(tag, /\sstyle\s*=/i, tag);
      assert.doesNotMatch(tag, /\s(src|href|action)\s*=\s*"(?!#)/i, tag);
    }
    assert.match(html, /&lt;img src=x onerror=&quot;globalThis.__pwned=1&quot;&gt;&#39;&lt;\/script&gt;/);
  });

  it('cuts long lists: failing seeds first, at most 100 runs and 20 reproduce commands, with the counts of the rest', () => {
    const sim = simulation(10_000, 300);
    const html = renderHtmlReport({ simulations: [sim] });
    assert.equal(html.match(/<code class="cmd">/g)?.length, 20);
    assert.match(html, /… and 280 more failing seeds/);
    assert.match(html, /… and 9,900 more runs/);
    // The seeds table starts with the failing ones.
    const firstRow = /<tbody>\n<tr><td><span class="mono">(\d+)<\/span>/.exec(html.slice(html.indexOf('Seeds and trace hashes')));
    assert.equal(firstRow?.[1], '1000');
    assert.ok(html.length < 100_000, `${html.length} bytes for 10,000 runs`);
    assert.match(html, /id="verdict">FAILED</);
  });

  it('says PASSED only when every simulation passed and nothing was left out', () => {
    const verdict = (html: string): string | undefined => /id="verdict">(\w+)</.exec(html)?.[1];
    assert.equal(verdict(renderHtmlReport({ simulations: [simulation(3, 0)] })), 'PASSED');
    assert.equal(verdict(renderHtmlReport({ simulations: [simulation(3, 0)], notRun: 1 })), 'INCOMPLETE');
    assert.equal(verdict(renderHtmlReport({ simulations: [{ ...simulation(3, 0), interrupted: true }] })), 'INCOMPLETE');
    assert.equal(verdict(renderHtmlReport({ simulations: [] })), 'INCOMPLETE');
    assert.equal(verdict(renderHtmlReport({ simulations: [simulation(3, 0), simulation(3, 1)] })), 'FAILED');
    assert.equal(verdict(renderHtmlReport({ simulations: [{ ...simulation(3, 1), expectFailure: true }] })), 'PASSED');
  });
});
