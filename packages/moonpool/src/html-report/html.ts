import { escapeHtml } from './escape.js';

/** A table: `head` cells are text, `rows` cells are HTML already (escape what goes in them). */
export function table(
  head: readonly string[],
  rows: readonly (readonly string[])[],
  numeric: readonly number[] = [],
): string {
  const cell = (tag: 'th' | 'td', i: number, html: string): string =>
    numeric.includes(i) ? `<${tag} class="n">${html}</${tag}>` : `<${tag}>${html}</${tag}>`;
  // Cells on their own lines: the page's text (copied, or read by a test) keeps them apart.
  const header = `<tr>${head.map((h, i) => cell('th', i, escapeHtml(h))).join('\n')}</tr>`;
  const body = rows.map((r) => `<tr>${r.map((c, i) => cell('td', i, c)).join('\n')}</tr>`).join('\n');
  return `<table>\n<thead>${header}</thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

/** `label: value` pairs on one wrapping line (values are HTML). */
export function facts(pairs: readonly (readonly [string, string])[]): string {
  return `<div class="facts">${pairs.map(([k, v]) => `<span>${escapeHtml(k)}: <b>${v}</b></span>`).join('\n')}</div>`;
}

/** A command to copy: one click selects all of it (no script needed). */
export function command(text: string): string {
  return `<code class="cmd">${escapeHtml(text)}</code>`;
}

/** "… and N more" when a list was cut. */
export function more(count: number, what: string, where = 'the JSON report (--json) has them all'): string {
  return count > 0 ? `<p class="muted">… and ${count.toLocaleString('en-US')} more ${escapeHtml(what)}: ${escapeHtml(where)}</p>` : '';
}

/** At most `max` characters of `text` (long error texts stay readable). */
export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
