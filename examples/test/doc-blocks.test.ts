// Doc tests: every code block of the README and docs/ marked runnable (an info string `ts runnable` or
// `js runnable`) is type-checked against the built `moonpool` package and then run as a program of its
// own, like Rust's doc tests, so the examples in the docs cannot rot. A block must be whole: its imports,
// its code, and (to show a failure) an exit code of 0 unless the block's point is that it throws.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** Inside the examples package, so that `moonpool` resolves as it does for a user's project. */
const OUT = join(ROOT, 'examples', 'dist', 'doc-blocks');
const OPENING = /^```(ts|js)\s+runnable\s*$/;

interface Block {
  source: string;
  line: number;
  language: 'ts' | 'js';
  code: string;
}

/** The runnable blocks of one Markdown file, with the line of their opening fence. */
function runnableBlocks(source: string, text: string): Block[] {
  const blocks: Block[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = OPENING.exec(lines[i] as string);
    if (open === null) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^```\s*$/.test(lines[end] as string)) end++;
    assert.ok(end < lines.length, `${source}:${i + 1}: a runnable block is never closed`);
    blocks.push({ source, line: i + 1, language: open[1] as 'ts' | 'js', code: lines.slice(start, end).join('\n') });
    i = end;
  }
  return blocks;
}

const markdown = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const blocks = markdown.flatMap((file) => runnableBlocks(file, readFileSync(join(ROOT, file), 'utf8')));
const fileOf = (b: Block): string =>
  join(OUT, `${basename(b.source, '.md').toLowerCase()}-line-${b.line}.${b.language === 'ts' ? 'ts' : 'mjs'}`);

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
for (const b of blocks) writeFileSync(fileOf(b), `${b.code}\n`);

describe('runnable code blocks of the README and docs/', () => {
  it('finds the blocks (the README quick start among them)', () => {
    assert.ok(blocks.some((b) => b.source === 'README.md'), 'the README has no runnable block');
  });

  it('type-check against the built moonpool package', () => {
    const base = ts.readConfigFile(join(ROOT, 'tsconfig.base.json'), (p) => ts.sys.readFile(p));
    const { options } = ts.parseJsonConfigFileContent(base.config, ts.sys, ROOT);
    const program = ts.createProgram(
      blocks.filter((b) => b.language === 'ts').map(fileOf),
      { ...options, noEmit: true, composite: false, declaration: false, declarationMap: false, sourceMap: false },
    );
    const problems = ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file ? `${basename(d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : '';
      return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
    assert.deepEqual(problems, [], 'block files are named <doc>-line-<fence line>; lines count from the fence');
  });

  for (const b of blocks) {
    it(`${b.source}:${b.line} runs`, { timeout: 120_000 }, () => {
      const js = b.language === 'ts' ? ts.transpileModule(b.code, {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
      }).outputText : b.code;
      const program = fileOf(b).replace(/\.ts$/, '.mjs');
      writeFileSync(program, js);
      const run = spawnSync(process.execPath, [program], { cwd: OUT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      assert.equal(run.status, 0, `${b.source}:${b.line} exited with ${run.status}:\n${run.stdout}${run.stderr}`);
    });
  }
});
