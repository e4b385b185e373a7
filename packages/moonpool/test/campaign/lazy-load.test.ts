// `sim run` must not pay for campaigns: BullMQ and the Redis client are reached from the command's
// entry only through the dynamic import of the campaign commands.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const SRC = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'src');

/** Static imports only (`import … from`, `export … from`, `import '…'`), not `import(…)`. */
function staticSpecifiers(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]/g)].map((m) => m[1] ?? '');
}

test('the command loads BullMQ and ioredis only for campaign commands', () => {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of staticSpecifiers(file)) {
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec).replace(/\.js$/, '.ts'));
      else packages.add(spec);
    }
  };
  visit(join(SRC, 'cli', 'main.ts'));
  assert.ok(seen.has(join(SRC, 'cli', 'cli.ts')), 'the walk reached cli.ts');
  assert.ok(![...seen].some((f) => f.includes(`${join(SRC, 'campaign')}`)), 'no campaign module is imported statically');
  assert.ok(!packages.has('bullmq') && !packages.has('ioredis'), [...packages].join(', '));
  assert.match(readFileSync(join(SRC, 'cli', 'cli.ts'), 'utf8'), /await import\('\.\.\/campaign\/campaign-cli\.js'\)/);
});
