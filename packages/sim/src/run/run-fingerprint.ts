import { createHash } from 'node:crypto';
import type { ExplorationConfig } from '@moonpool/explorer';
import type { SimulationPlan } from '../engine/plan.js';

/** What decides a run's results, beyond the simulation's code: two runs that differ here cannot merge. */
export interface FingerprintInput {
  readonly plan: SimulationPlan;
  readonly iterations: number;
  readonly baseSeed: bigint;
  readonly exploration: ExplorationConfig | null;
  /** Explorations: each root seed explored on its own (sharded) or with the state of the earlier ones. */
  readonly independentRootSeeds: boolean;
}

/**
 * A SHA-256 over the configuration that decides results: iterations, base seed, the plan's data
 * (network, storage, chaos, limits, topology, workload and invariant names) and the exploration
 * configuration without its parallelism (results do not depend on the thread count). Functions are
 * left out: the code itself is identified by the simulation's name and the moonpool version.
 */
export function runFingerprint(input: FingerprintInput): string {
  const exploration =
    input.exploration === null ? null : Object.fromEntries(Object.entries(input.exploration).filter(([k]) => k !== 'parallelism'));
  const data = {
    iterations: input.iterations,
    baseSeed: input.baseSeed,
    plan: input.plan,
    exploration,
    independentRootSeeds: input.exploration === null ? false : input.independentRootSeeds,
  };
  return createHash('sha256').update(canonicalJson(data, new WeakSet())).digest('hex');
}

/** JSON with sorted keys, bigints as `123n`, functions and cycles named rather than followed. */
function canonicalJson(value: unknown, seen: WeakSet<object>): string {
  if (typeof value === 'bigint') return JSON.stringify(`${value}n`);
  if (typeof value === 'function') return '"<function>"';
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : JSON.stringify(String(value));
  if (value === undefined) return 'null';
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  if (seen.has(value)) return '"<cycle>"';
  seen.add(value);
  try {
    if (value instanceof Map) return canonicalJson([...value.entries()], seen);
    if (value instanceof Set) return canonicalJson([...value], seen);
    if (ArrayBuffer.isView(value)) return JSON.stringify(Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex'));
    if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v, seen)).join(',')}]`;
    const keys = Object.keys(value).sort();
    const kind = value.constructor?.name ?? 'Object';
    const body = keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(readField(value, k), seen)}`);
    return `{"<class>":${JSON.stringify(kind)}${body.map((b) => `,${b}`).join('')}}`;
  } finally {
    seen.delete(value);
  }
}

/** A field of user data; one that cannot be read (a throwing proxy) counts as unreadable, not as an error. */
function readField(value: object, key: string): unknown {
  try {
    return (value as Record<string, unknown>)[key];
  } catch {
    return '<unreadable>';
  }
}
