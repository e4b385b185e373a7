// docs/getting-started.md as a script: its fenced blocks, in order, are what a reader does. A block
// whose info string carries `file=<path>` is a file to write (`diff` blocks: a change to apply to it);
// a `sh runnable` block is commands to run in the project (`exit=<n>`: the code they must end with;
// `registry`: they install from the npm registry); a `text output` block right after one is what those
// commands must print (its lines in order, `…` standing for any text).
import assert from 'node:assert/strict';

export type GuideStep =
  | { readonly kind: 'file'; readonly line: number; readonly path: string; readonly text: string }
  | { readonly kind: 'diff'; readonly line: number; readonly path: string; readonly before: string; readonly after: string }
  | {
      readonly kind: 'run';
      readonly line: number;
      readonly script: string;
      readonly exit: number;
      readonly registry: boolean;
      output: string[] | null;
    };

/** The steps of a guide, in the order of its blocks; `line` is the opening fence's (1-based). */
export function guideSteps(markdown: string): GuideStep[] {
  const lines = markdown.split('\n');
  const steps: GuideStep[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S+)\s*(.*)$/.exec(lines[i] as string);
    if (open === null) continue;
    let end = i + 1;
    while (end < lines.length && lines[end] !== '```') end++;
    assert.ok(end < lines.length, `line ${i + 1}: a block is never closed`);
    const body = lines.slice(i + 1, end);
    const [language, info] = [open[1] as string, (open[2] as string).split(/\s+/)];
    const path = info.find((w) => w.startsWith('file='))?.slice('file='.length);
    const line = i + 1;
    if (path !== undefined && language === 'diff') {
      steps.push({ kind: 'diff', line, path, ...sidesOf(body, line) });
    } else if (path !== undefined) {
      steps.push({ kind: 'file', line, path, text: `${body.join('\n')}\n` });
    } else if (language === 'sh' && info.includes('runnable')) {
      const exit = Number(info.find((w) => w.startsWith('exit='))?.slice('exit='.length) ?? 0);
      steps.push({ kind: 'run', line, script: body.join('\n'), exit, registry: info.includes('registry'), output: null });
    } else if (language === 'text' && info.includes('output')) {
      const previous = steps.at(-1);
      assert.ok(previous?.kind === 'run', `line ${line}: an output block must follow a runnable command block`);
      previous.output = body;
    }
    i = end;
  }
  return steps;
}

/** The text a one-hunk diff replaces and the text it puts instead (context lines belong to both). */
function sidesOf(body: string[], line: number): { before: string; after: string } {
  const before: string[] = [];
  const after: string[] = [];
  for (const text of body) {
    const [mark, rest] = [text.slice(0, 1), text.slice(1)];
    assert.ok(mark === ' ' || mark === '-' || mark === '+', `line ${line}: a diff line starts with ' ', '-' or '+': ${text}`);
    if (mark !== '+') before.push(rest);
    if (mark !== '-') after.push(rest);
  }
  return { before: `${before.join('\n')}\n`, after: `${after.join('\n')}\n` };
}

/** Applies a diff step to a file's text; the text it replaces must occur exactly once. */
export function applyDiff(text: string, before: string, after: string, where: string): string {
  const at = text.indexOf(before);
  assert.ok(at >= 0, `${where}: the lines the diff replaces are not in the file`);
  assert.equal(text.indexOf(before, at + 1), -1, `${where}: the lines the diff replaces occur twice`);
  return text.slice(0, at) + after + text.slice(at + before.length);
}

/**
 * Null when `shown` (an output block) is what `actual` printed: each shown line appears, in order,
 * among the actual lines, `…` in a shown line matching any text. Otherwise the first line not found.
 */
export function missingOutput(shown: readonly string[], actual: string): string | null {
  const lines = actual.split('\n').map((l) => l.trimEnd());
  let from = 0;
  for (const want of shown) {
    if (want.trim() === '…' || want.trim() === '') continue;
    const pattern = new RegExp(`^${want.trimEnd().split('…').map(escape).join('.*')}$`);
    const found = lines.findIndex((l, i) => i >= from && pattern.test(l));
    if (found < 0) return want;
    from = found + 1;
  }
  return null;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
