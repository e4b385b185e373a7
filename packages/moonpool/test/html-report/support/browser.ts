// A real headless Chromium for the HTML report tests, driven by puppeteer-core: Debian's
// chromium-headless-shell (or chromium). Missing: the tests skip loudly, or fail when CI is set.
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

const CANDIDATES = ['/usr/bin/chromium-headless-shell', '/usr/bin/chromium'];

/** The browser binary (`MOONPOOL_CHROMIUM` chooses another), or null when none is installed. */
export function chromiumPath(): string | null {
  const chosen = process.env.MOONPOOL_CHROMIUM;
  if (chosen !== undefined && chosen !== '') return existsSync(chosen) ? chosen : null;
  return CANDIDATES.find((p) => existsSync(p)) ?? null;
}

/**
 * Why the browser tests cannot run, or false when they can. Under CI a missing browser throws: a
 * green CI must mean the page was checked in a browser.
 */
export function browserSkip(): string | false {
  if (chromiumPath() !== null) return false;
  const why =
    'no headless Chromium: install Debian\'s chromium-headless-shell package ' +
    '(apt-get install chromium-headless-shell) to test the HTML report in a browser';
  if (process.env.CI !== undefined && process.env.CI !== '') throw new Error(`CI: ${why}`);
  console.error(`\n*** SKIPPED: ${why} ***\n`);
  return why;
}

export async function launchBrowser(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (executablePath === null) throw new Error('no headless Chromium (see browserSkip)');
  // No sandbox: tests run as root in containers, where Chromium's sandbox cannot start.
  return puppeteer.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
}

/** Everything the page said or did wrong while loading: console errors and warnings, exceptions, CSP violations. */
export interface PageTrouble {
  console: string[];
  errors: string[];
  violations: string[];
  /** Requests the page made (a self-contained page makes none beyond itself). */
  requests: string[];
}

/**
 * Opens `file` in a new page and watches it. `bypassCsp`: load it as if it had no policy, to show
 * that the escaping alone keeps hostile text inert.
 */
export async function openReport(
  browser: Browser,
  file: string,
  bypassCsp = false,
): Promise<{ page: Page; trouble: PageTrouble }> {
  const page = await browser.newPage();
  const trouble: PageTrouble = { console: [], errors: [], violations: [], requests: [] };
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warn') trouble.console.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => trouble.errors.push(String(e)));
  const url = pathToFileURL(file).href;
  page.on('request', (r) => {
    if (r.url() !== url) trouble.requests.push(r.url());
  });
  await page.setBypassCSP(bypassCsp);
  // Runs in the page before its own content (through the DevTools protocol, outside the page's
  // policy): records policy violations and gives a hostile payload a flag to set.
  await page.evaluateOnNewDocument(`
    globalThis.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      globalThis.__violations.push(e.violatedDirective + ' ' + e.blockedURI);
    });
  `);
  await page.goto(url, { waitUntil: 'load' });
  trouble.violations = (await page.evaluate('globalThis.__violations')) as string[];
  return { page, trouble };
}

/** The text of every element matching `selector`, whitespace collapsed. */
export async function texts(page: Page, selector: string): Promise<string[]> {
  const found = await page.evaluate(
    `[...document.querySelectorAll(${JSON.stringify(selector)})].map((e) => e.textContent.replace(/\\s+/g, ' ').trim())`,
  );
  return found as string[];
}
