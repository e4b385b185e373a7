import { readFileSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AssertionKind, CatalogueEntry } from '@moonpool/explorer';
import type * as acorn from 'acorn';

/**
 * Each assertion entry point, its kind and which argument is the message. A call whose message is a
 * plain string literal is a catalogued site; a computed message cannot be known before it runs.
 */
const SITES: Readonly<Record<string, { kind: AssertionKind; messageArg: number }>> = {
  assertAlways: { kind: 'Always', messageArg: 1 },
  assertAlwaysOrUnreachable: { kind: 'AlwaysOrUnreachable', messageArg: 1 },
  assertSometimes: { kind: 'Sometimes', messageArg: 1 },
  assertReachable: { kind: 'Reachable', messageArg: 0 },
  assertUnreachable: { kind: 'Unreachable', messageArg: 0 },
  assertAlwaysGreaterThan: { kind: 'NumericAlways', messageArg: 2 },
  assertAlwaysGreaterThanOrEqualTo: { kind: 'NumericAlways', messageArg: 2 },
  assertAlwaysLessThan: { kind: 'NumericAlways', messageArg: 2 },
  assertAlwaysLessThanOrEqualTo: { kind: 'NumericAlways', messageArg: 2 },
  assertSometimesGreaterThan: { kind: 'NumericSometimes', messageArg: 2 },
  assertSometimesGreaterThanOrEqualTo: { kind: 'NumericSometimes', messageArg: 2 },
  assertSometimesLessThan: { kind: 'NumericSometimes', messageArg: 2 },
  assertSometimesLessThanOrEqualTo: { kind: 'NumericSometimes', messageArg: 2 },
  assertSometimesAll: { kind: 'BooleanSometimesAll', messageArg: 0 },
  assertSometimesEach: { kind: 'EachBucket', messageArg: 0 },
};

/** The framework's own packages define the entry points and call none with a literal message. */
const FRAMEWORK = new Set(['moonpool', '@moonpool/core', '@moonpool/sim', '@moonpool/explorer']);
/** A bound on the module graph, so a pathological import tree cannot stall a run. */
const MAX_MODULES = 5000;

interface Node {
  type: string;
  [key: string]: unknown;
}

type Parse = typeof acorn.parse;

/**
 * The assertion sites reachable from `entries` (module URLs) through static and literal dynamic
 * imports, each message once (first kind found), in discovery order. Known before the simulation
 * runs, so a site no iteration reached can be reported (as Antithesis catalogues sites when it
 * instruments a program). Modules that cannot be read or parsed are skipped.
 */
export async function catalogueAssertions(entries: readonly string[]): Promise<CatalogueEntry[]> {
  const found = new Map<string, AssertionKind>();
  const queue = entries.filter((url) => url.startsWith('file:'));
  if (queue.length === 0) return [];
  // The parser is a large module: loaded by the runs that catalogue, not by every command that imports this package.
  const { parse } = await import('acorn');
  const visited = new Set(queue);
  for (let i = 0; i < queue.length && i < MAX_MODULES; i++) {
    const url = queue[i] as string;
    const program = parseModule(parse, url);
    if (program === null) continue;
    walk(program, (node) => {
      const site = callSite(node);
      if (site !== null && !found.has(site.msg)) found.set(site.msg, site.kind);
      const spec = importedSpecifier(node);
      const next = spec === null ? null : resolveImport(spec, url);
      if (next !== null && !visited.has(next)) {
        visited.add(next);
        queue.push(next);
      }
    });
  }
  return [...found].map(([msg, kind]) => ({ kind, msg }));
}

function parseModule(parse: Parse, url: string): Node | null {
  try {
    const text = readFileSync(fileURLToPath(url), 'utf8');
    return parse(text, { ecmaVersion: 'latest', sourceType: 'module', allowHashBang: true }) as unknown as Node;
  } catch {
    return null;
  }
}

/** Visits every node of the tree, depth first. */
function walk(node: Node, visit: (node: Node) => void): void {
  visit(node);
  for (const value of Object.values(node)) {
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) walk(item, visit);
    } else if (isNode(value)) {
      walk(value, visit);
    }
  }
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && typeof (value as Node).type === 'string';
}

/** `assertX(…, 'message')` called by name or as a member (`moonpool.assertX`). */
function callSite(node: Node): CatalogueEntry | null {
  if (node.type !== 'CallExpression') return null;
  const callee = node.callee as Node;
  const name =
    callee.type === 'Identifier'
      ? (callee.name as string)
      : callee.type === 'MemberExpression' && (callee.property as Node).type === 'Identifier'
        ? ((callee.property as Node).name as string)
        : null;
  const site = name === null ? undefined : SITES[name];
  if (site === undefined) return null;
  const msg = literalString((node.arguments as Node[])[site.messageArg]);
  return msg === null ? null : { kind: site.kind, msg };
}

function literalString(node: Node | null | undefined): string | null {
  if (node === undefined || node === null) return null;
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  const quasis = node.quasis as Node[] | undefined;
  if (node.type === 'TemplateLiteral' && quasis?.length === 1) {
    return ((quasis[0] as Node).value as { cooked: string | null }).cooked;
  }
  return null;
}

/** The specifier of an import, a re-export or a dynamic import of a literal. */
function importedSpecifier(node: Node): string | null {
  const isImport =
    node.type === 'ImportDeclaration' ||
    node.type === 'ExportAllDeclaration' ||
    node.type === 'ExportNamedDeclaration' ||
    node.type === 'ImportExpression';
  if (!isImport) return null;
  return literalString(node.source as Node | null | undefined);
}

/** The file URL `spec` names from `parent`, or null for built-ins, the framework and the unresolvable. */
function resolveImport(spec: string, parent: string): string | null {
  if (isBuiltin(spec)) return null;
  if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('file:')) {
    return new URL(spec, parent).href;
  }
  const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] ?? spec);
  if (FRAMEWORK.has(name)) return null;
  try {
    return pathToFileURL(createRequire(parent).resolve(spec)).href;
  } catch {
    return null;
  }
}
