// Distinct executions must give distinct trace hashes: seeds of every bundled simulation and every
// bug timeline (and root) of the two explorers. The full check (over 100 000 executions) is
// scripts/check-hash-distinct.js; hash-distinctness.test.ts runs a small one.
import { formatBugRecipe, type SimulationDefinition } from 'moonpool';
import * as bundled from '../../src/index.js';
import { dungeonExplore } from '../../src/dungeon/dungeon-explore.sim.js';
import { mazeExplore } from '../../src/maze/maze-explore.sim.js';

/** One execution and its trace hash. */
export interface HashedExecution {
  /** `<simulation> seed <seed>` or `<simulation> <seed>:<recipe>`. */
  what: string;
  hash: string;
}

/** Seeds per bundled simulation of the full check: cheap simulations get the most (114 800 in all). */
export const FULL_SEEDS: Readonly<Record<string, number>> = {
  maze: 42_000,
  dungeon: 42_000,
  lease: 8_000,
  'lease-buggy': 6_000,
  kv: 1_600,
  'kv-durable': 700,
  'kv-durable-nosync': 700,
  'http-service': 500,
  'http-service-buggy': 500,
  transport: 300,
  'transport-buggy': 300,
  'load-balance': 300,
  'load-balance-buggy': 300,
  'load-balanced-reads': 1_000,
  'fan-out-all': 1_000,
  'fan-out-quorum': 1_000,
  'fan-out-race': 1_000,
  'fan-out-all-partial': 1_000,
  'ping-pong': 3_000,
  calculator: 3_000,
  'quorum-register': 300,
  'quorum-register-buggy': 300,
};

/** Seeds per bundled simulation of the quick check in `npm test` (3 398 in all, about 12 s). */
export const QUICK_SEEDS: Readonly<Record<string, number>> = {
  maze: 1_500,
  dungeon: 1_500,
  lease: 150,
  'lease-buggy': 100,
  kv: 8,
  'kv-durable': 3,
  'kv-durable-nosync': 3,
  'http-service': 3,
  'http-service-buggy': 3,
  transport: 3,
  'transport-buggy': 3,
  'load-balance': 3,
  'load-balance-buggy': 3,
  'load-balanced-reads': 10,
  'fan-out-all': 10,
  'fan-out-quorum': 10,
  'fan-out-race': 10,
  'fan-out-all-partial': 10,
  'ping-pong': 30,
  calculator: 30,
  'quorum-register': 3,
  'quorum-register-buggy': 3,
};

const U64_MASK = (1n << 64n) - 1n;

/**
 * Each simulation starts its seeds somewhere else, so two simulations never run the same seed: an
 * execution is then told apart by its seed even where two simulations would behave alike.
 */
function baseSeedOf(name: string): bigint {
  let h = 0xcbf29ce484222325n;
  for (const c of name) h = ((h ^ BigInt(c.codePointAt(0) ?? 0)) * 0x100000001b3n) & U64_MASK;
  return h;
}

function bundledSimulation(name: string): SimulationDefinition {
  const def = Object.values(bundled).find((d) => d.name === name);
  if (def === undefined) throw new Error(`no bundled simulation named ${name}`);
  return def;
}

/** The names of the bundled simulations (seeds only: the explorers are `explorationHashes`). */
export function bundledNames(): string[] {
  return Object.values(bundled).map((d) => d.name);
}

/** The trace hashes of `count` seeds of the bundled simulation `name`. */
export async function seedHashes(name: string, count: number): Promise<HashedExecution[]> {
  const report = await bundledSimulation(name).build().setBaseSeed(baseSeedOf(name)).setIterations(count).run();
  return report.runs.map((r) => ({ what: `${name} seed ${r.seed}`, hash: r.traceHash }));
}

/** The explorers, with the configurations they ship (`dungeon-explore` takes about two minutes). */
export const EXPLORERS = ['maze-explore', 'dungeon-explore'] as const;

/** The roots and bug timelines of an explorer's shipped exploration. */
export async function explorationHashes(name: (typeof EXPLORERS)[number]): Promise<HashedExecution[]> {
  const def = name === 'maze-explore' ? mazeExplore : dungeonExplore;
  const report = await def.build().run();
  const out = report.runs.map((r) => ({ what: `${name} seed ${r.seed}`, hash: r.traceHash }));
  for (const bug of report.exploration?.bugRecipes ?? []) {
    if (bug.traceHash === undefined) throw new Error(`${name}: a bug recipe without a trace hash`);
    out.push({ what: `${name} ${formatBugRecipe(bug)}`, hash: bug.traceHash });
  }
  return out;
}

/** Executions that share a hash with an earlier one, as pairs; empty when every hash is distinct. */
export function collisions(executions: Iterable<HashedExecution>): [HashedExecution, HashedExecution][] {
  const seen = new Map<string, HashedExecution>();
  const out: [HashedExecution, HashedExecution][] = [];
  for (const e of executions) {
    const earlier = seen.get(e.hash);
    if (earlier === undefined) seen.set(e.hash, e);
    else out.push([earlier, e]);
  }
  return out;
}
