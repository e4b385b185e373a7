// The package layering of SPEC §1: a package may import only the packages below it.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

/** Which of our packages each package may import (its own name is always allowed). */
const allowed: Record<string, { dir: string; may: string[] }> = {
  '@moonpool/explorer': { dir: 'packages/explorer', may: [] },
  '@moonpool/core': { dir: 'packages/core', may: [] },
  '@moonpool/sim': { dir: 'packages/sim', may: ['@moonpool/core', '@moonpool/explorer'] },
  moonpool: { dir: 'packages/moonpool', may: ['@moonpool/core', '@moonpool/sim', '@moonpool/explorer'] },
  '@moonpool/examples': {
    dir: 'examples',
    may: ['moonpool', '@moonpool/core', '@moonpool/sim', '@moonpool/explorer'],
  },
};
const ours = Object.keys(allowed);

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const sub of ['src', 'test']) {
    let entries: string[];
    try {
      entries = readdirSync(join(root, dir, sub), { recursive: true }).map(String);
    } catch {
      continue;
    }
    for (const e of entries) if (e.endsWith('.ts')) out.push(join(root, dir, sub, e));
  }
  return out;
}

function importedPackages(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"]([^'".][^'"]*)['"]/g)];
  return specs
    .map((m) => m[1] ?? '')
    .filter((s) => ours.some((p) => s === p || s.startsWith(`${p}/`)));
}

for (const [name, { dir, may }] of Object.entries(allowed)) {
  test(`${name} imports only lower layers`, () => {
    const files = sourceFiles(dir);
    assert.ok(files.length > 0, `no sources found for ${name}`);
    for (const file of files) {
      for (const spec of importedPackages(file)) {
        const pkg = ours.find((p) => spec === p || spec.startsWith(`${p}/`));
        assert.ok(
          pkg === name || (pkg !== undefined && may.includes(pkg)),
          `${file} imports ${spec}, a layer ${name} may not depend on`,
        );
      }
    }
  });

  test(`${name} declares only allowed dependencies`, () => {
    const manifest = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
    for (const dep of Object.keys(manifest.dependencies ?? {})) {
      if (ours.includes(dep)) assert.ok(may.includes(dep), `${name} depends on ${dep}`);
    }
  });
}
