// The architecture as tests: a package imports only the packages below it; inside @moonpool/sim and
// @moonpool/transport a folder imports only the folders of lower layers; and no two source files import each other,
// directly or in a ring (type imports included), in any package.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

/**
 * Which of our packages each package may import (its own name is always allowed); `testsMay`: what
 * its tests may import besides.
 */
const allowed: Record<string, { dir: string; may: string[]; testsMay?: string[] }> = {
  '@moonpool/explorer': { dir: 'packages/explorer', may: [] },
  '@moonpool/core': { dir: 'packages/core', may: [] },
  '@moonpool/sim': { dir: 'packages/sim', may: ['@moonpool/core', '@moonpool/explorer'] },
  // Written against the providers only; its tests run it inside the simulator too.
  '@moonpool/transport': { dir: 'packages/transport', may: ['@moonpool/core'], testsMay: ['@moonpool/sim'] },
  moonpool: {
    dir: 'packages/moonpool',
    may: ['@moonpool/core', '@moonpool/sim', '@moonpool/explorer', '@moonpool/transport'],
  },
  '@moonpool/examples': {
    dir: 'examples',
    may: ['moonpool', '@moonpool/core', '@moonpool/sim', '@moonpool/explorer', '@moonpool/transport'],
  },
};
const ours = Object.keys(allowed);

/**
 * The layers of @moonpool/sim's src folders, bottom first: a folder may import folders of lower
 * layers only (not its own layer's other folders). Files at the top of src (the indexes) may import all.
 */
const SIM_LAYERS: readonly (readonly string[])[] = [
  ['kernel'],
  ['config', 'chaos', 'assertions', 'hermetic', 'coverage', 'trace'],
  ['network', 'storage'],
  ['providers', 'node-compat'],
  ['report', 'state-machine'],
  ['engine'],
  ['exploration'],
  ['run'],
  ['builder'],
];

function tsFiles(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true })
      .map(String)
      .filter((e) => e.endsWith('.ts'))
      .map((e) => join(dir, e));
  } catch {
    return [];
  }
}

function sourceFiles(dir: string): string[] {
  return ['src', 'test'].flatMap((sub) => tsFiles(join(root, dir, sub)));
}

/** Every module specifier `file` imports or re-exports (type-only ones included). */
function specifiers(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"]([^'"]+)['"]/g)].map((m) => m[1] ?? '');
}

function importedPackages(file: string): string[] {
  return specifiers(file).filter((s) => ours.some((p) => s === p || s.startsWith(`${p}/`)));
}

/** The `.ts` files of the same package that `file` imports by relative path. */
function localImports(file: string): string[] {
  return specifiers(file)
    .filter((s) => s.startsWith('.'))
    .map((s) => resolve(dirname(file), s).replace(/\.js$/, '.ts'));
}

for (const [name, { dir, may, testsMay = [] }] of Object.entries(allowed)) {
  test(`${name} imports only lower layers`, () => {
    const files = sourceFiles(dir);
    assert.ok(files.length > 0, `no sources found for ${name}`);
    for (const file of files) {
      const isTest = file.includes(`${join(dir, 'test')}`);
      for (const spec of importedPackages(file)) {
        const pkg = ours.find((p) => spec === p || spec.startsWith(`${p}/`));
        assert.ok(
          pkg === name || (pkg !== undefined && (may.includes(pkg) || (isTest && testsMay.includes(pkg)))),
          `${file} imports ${spec}, a layer ${name} may not depend on`,
        );
        // Another package's internal entry is for tests only.
        if (spec.endsWith('/internal') && pkg !== name) {
          assert.ok(isTest, `${file} (not a test) imports ${spec}`);
        }
      }
    }
  });

  test(`${name} declares only allowed dependencies`, () => {
    const manifest = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
    for (const dep of Object.keys(manifest.dependencies ?? {})) {
      if (ours.includes(dep)) assert.ok(may.includes(dep), `${name} depends on ${dep}`);
    }
  });

  test(`${name} has no import cycle between its source files`, () => {
    const files = tsFiles(join(root, dir, 'src'));
    const edges = new Map(files.map((f) => [f, localImports(f)]));
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (file: string, path: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        const ring = path.slice(path.indexOf(file));
        cycles.push([...ring, file].map((f) => relative(join(root, dir), f)).join(' -> '));
        return;
      }
      state.set(file, 'open');
      for (const next of edges.get(file) ?? []) visit(next, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of files) visit(file, []);
    assert.deepEqual(cycles, []);
  });
}

/**
 * The layers of @moonpool/transport's src folders, bottom first: the wire format, endpoint routing,
 * message codecs and small collections, then peers, the transport, requests and replies, typed
 * services, and on top fan-out and load balancing (both send through services' clients and raw
 * endpoints; neither imports the other).
 */
const TRANSPORT_LAYERS: readonly (readonly string[])[] = [
  ['wire', 'endpoints', 'codec', 'collections'],
  ['peer'],
  ['transport'],
  ['rpc'],
  ['service'],
  ['fan-out', 'load-balance'],
];

for (const [pkg, layers] of [
  ['sim', SIM_LAYERS],
  ['transport', TRANSPORT_LAYERS],
] as const) {
  describe(`@moonpool/${pkg} folders`, () => {
    const src = join(root, 'packages', pkg, 'src');
    const layerOf = new Map(layers.flatMap((folders, layer) => folders.map((f) => [f, layer] as const)));
    const folderOf = (file: string): string | null => {
      const parts = relative(src, file).split(/[\\/]/);
      return parts.length > 1 ? (parts[0] ?? null) : null;
    };

    test('every folder has a layer', () => {
      const folders = new Set(tsFiles(src).map(folderOf).filter((f) => f !== null));
      for (const folder of folders) assert.ok(layerOf.has(folder), `folder ${folder} is in no layer`);
    });

    test('a folder imports only folders of lower layers', () => {
      for (const file of tsFiles(src)) {
        const from = folderOf(file);
        if (from === null) continue;
        for (const target of localImports(file)) {
          const to = folderOf(target);
          if (to === null || to === from) continue;
          assert.ok(
            (layerOf.get(to) ?? Infinity) < (layerOf.get(from) ?? -1),
            `${relative(src, file)} imports ${relative(src, target)}: ${from} may not depend on ${to}`,
          );
        }
      }
    });
  });
}
