import { createHash } from 'node:crypto';
import { duration, thousands } from '@moonpool/sim';
import { escapeHtml } from './escape.js';
import type { HtmlReportInput } from './input.js';
import { table } from './html.js';
import { simulationSection } from './simulation-section.js';
import { STYLE } from './style.js';
import { simulationPassed } from './verdict.js';

/**
 * The page's policy: nothing may load or run — no script at all, no images, fonts, frames or
 * connections — except the one style sheet, allowed by its hash (so no `style` attribute applies
 * either). Only directives a `<meta>` policy honours (no frame-ancestors, report-uri or sandbox).
 */
export function contentSecurityPolicy(style: string): string {
  const hash = createHash('sha256').update(style, 'utf8').digest('base64');
  return `default-src 'none'; style-src 'sha256-${hash}'; base-uri 'none'; form-action 'none'`;
}

/**
 * One self-contained HTML page for the simulations of a run: the verdict, then each simulation's
 * seeds and trace hashes, assertions, failing seeds with the commands that reproduce them, and for
 * explorations the multiverse tree and the coverage curve. Everything the simulations produced is
 * escaped; long lists are cut with a count of the rest, so the page stays small for any run.
 */
export function renderHtmlReport(input: HtmlReportInput): string {
  const sims = input.simulations;
  const failed = sims.filter((s) => !simulationPassed(s)).length;
  const partial = (input.notRun ?? 0) > 0 || sims.some((s) => s.interrupted === true);
  const passed = failed === 0 && sims.length > 0 && !partial;
  const verdict = passed ? 'PASSED' : failed > 0 ? 'FAILED' : 'INCOMPLETE';
  const title = `Moonpool report: ${verdict} (${sims.length} simulation${sims.length === 1 ? '' : 's'})`;
  const summaryRows = sims.map((s, i) => {
    const ok = simulationPassed(s);
    return [
      `<a href="#sim-${i + 1}">${escapeHtml(s.name)}</a>`,
      `<span class="status-${ok ? 'pass' : 'fail'}">${ok ? 'PASS' : 'FAIL'}</span>`,
      thousands(s.iterations),
      thousands(s.seedsFailing.length),
      thousands(s.exploration?.bugsFound ?? 0),
      thousands(s.alwaysViolations.length),
      escapeHtml(duration(s.totalWallMs)),
    ];
  });
  const body = [
    '<h1>Moonpool simulation report</h1>',
    `<p><span class="verdict ${passed ? 'pass' : 'fail'}" id="verdict">${verdict}</span>` +
      ` ${thousands(sims.length - failed)} of ${thousands(sims.length)} simulations passed</p>`,
  ];
  if (partial) {
    const notRun = input.notRun ?? 0;
    body.push(
      `<p class="banner">Interrupted: this report is partial${notRun > 0 ? `; ${notRun} simulations were not run` : ''}.</p>`,
    );
  }
  body.push(
    table(['simulation', 'verdict', 'iterations', 'failing seeds', 'bugs', 'always-violations', 'wall time'], summaryRows, [
      2, 3, 4, 5, 6,
    ]),
  );
  sims.forEach((s, i) => body.push(simulationSection(s, `sim-${i + 1}`, input.dir)));
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(STYLE))}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    ...body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
