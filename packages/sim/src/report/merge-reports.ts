import { type AssertionResult, countSetBits } from '@moonpool/explorer';
import { formatRange, type IndexRange } from './index-range.js';
import { combinePartResults } from './merge-assertions.js';
import {
  bugFromJson,
  MERGEABLE_REPORT_FORMAT,
  MERGEABLE_REPORT_FORMAT_VERSION,
  type MergeableExplorationJson,
  type MergeablePart,
  type MergeableReport,
  ReportMergeError,
  runFromJson,
} from './mergeable-report.js';
import type { ExplorationReport } from './exploration-report.js';
import type { AssertionJson } from './report-json.js';
import { withToJson } from './report-json.js';
import { reportOfRuns, type SimulationReport } from './simulation-report.js';

/** A part the merge left out because other parts cover its indices: each index counts once. */
export interface UnusedPart {
  /** The file (and entry) it came from. */
  source: string;
  /** First index the part covers (inclusive). */
  from: number;
  /** End of the indices the part covers (exclusive). */
  to: number;
  /** `duplicate`: another part covers exactly the same indices; `overlap`: other parts cover them. */
  reason: 'duplicate' | 'overlap';
}

/** One simulation's merge. */
export interface MergedSimulation {
  /** The simulation merged: the name its parts share. */
  name: string;
  /** The simulation demonstrates a bug (`expectFailure`, from its parts): a failing verdict is its success. */
  expectFailure: boolean;
  /**
   * The report of the indices covered: when complete, the unsharded run's report (same seeds, trace
   * hashes, counts, assertions, exploration and verdict); wall-clock times are the parts' sums.
   */
  report: SimulationReport;
  /** Each maximal run of covered indices as one part (what a merged file holds). */
  parts: MergeablePart[];
  /** Indices of the run no part covers (empty: the merge is complete). */
  missing: IndexRange[];
  /** True when the parts cover every index of the run (`missing` is empty). */
  complete: boolean;
  /** Parts left out because other parts cover their indices; empty when every part was used. */
  unused: UnusedPart[];
}

/** What `mergeReports` produced: one merge per simulation, in the order the files name them. */
export interface MergeResult {
  /** The moonpool version that wrote the merged reports (every one must have the same). */
  moonpoolVersion: string;
  /** One merge per simulation, in the order they first appear in the reports. */
  simulations: MergedSimulation[];
}

/**
 * Merges mergeable reports (shards, campaign ranges, earlier merges) into the report of the whole
 * run, whatever their number and order. Parts covering the same indices twice are counted once (the
 * others are listed in `unused`); missing indices are listed in `missing`. Throws a
 * `ReportMergeError` for reports that must not merge: different moonpool versions, files holding
 * different simulations, different configurations (fingerprints), two parts disagreeing on an index
 * (non-determinism), or overlapping parts that no choice of parts covers exactly once.
 * `sources` name the reports in messages (file names; default `report 1`, `report 2`, …).
 */
export function mergeReports(reports: readonly MergeableReport[], sources?: readonly string[]): MergeResult {
  if (reports.length === 0) throw new ReportMergeError('nothing to merge: no reports given');
  const name = (i: number): string => sources?.[i] ?? `report ${i + 1}`;
  checkSameVersion(reports, name);
  checkSameSimulations(reports, name);
  const byName = new Map<string, Sourced[]>();
  reports.forEach((report, i) => {
    report.simulations.forEach((part, k) => {
      const source = report.simulations.filter((p) => p.name === part.name).length > 1 ? `${name(i)}#${k}` : name(i);
      const list = byName.get(part.name) ?? [];
      list.push({ part, source });
      byName.set(part.name, list);
    });
  });
  const version = (reports[0] as MergeableReport).moonpoolVersion;
  return { moonpoolVersion: version, simulations: [...byName.values()].map(mergeSimulation) };
}

/** A merge written back as a mergeable report (`moonpool merge --out`): it merges again like any other. */
export function mergeResultToReport(result: MergeResult): MergeableReport {
  return {
    format: MERGEABLE_REPORT_FORMAT,
    formatVersion: MERGEABLE_REPORT_FORMAT_VERSION,
    moonpoolVersion: result.moonpoolVersion,
    simulations: result.simulations.flatMap((s) => s.parts),
  };
}

function checkSameVersion(reports: readonly MergeableReport[], name: (i: number) => string): void {
  const first = (reports[0] as MergeableReport).moonpoolVersion;
  const other = reports.findIndex((r) => r.moonpoolVersion !== first);
  if (other >= 0) {
    throw new ReportMergeError(
      `${name(0)} was written by moonpool ${first} and ${name(other)} by moonpool ${reports[other]?.moonpoolVersion}: ` +
        'reports of different versions do not merge (rerun every part with one version)',
    );
  }
}

function checkSameSimulations(reports: readonly MergeableReport[], name: (i: number) => string): void {
  const names = (r: MergeableReport): string => [...new Set(r.simulations.map((s) => s.name))].sort().join(', ');
  const first = names(reports[0] as MergeableReport);
  const other = reports.findIndex((r) => names(r) !== first);
  if (other >= 0) {
    throw new ReportMergeError(
      `${name(0)} holds simulations [${first}] but ${name(other)} holds [${names(reports[other] as MergeableReport)}]: ` +
        'only reports of the same simulations merge',
    );
  }
}

function mergeSimulation(entries: readonly Sourced[]): MergedSimulation {
  const first = entries[0] as Sourced;
  for (const e of entries) checkSameConfiguration(first, e);
  checkAgreement(entries);
  const { chosen, unused } = chooseParts(entries);
  const segments = joinSegments(chosen);
  const all = combine(chosen.map((e) => e.part));
  const covered = segments.map((s) => ({ from: s.from, to: s.to }));
  const missing = gaps(covered, first.part.total);
  return {
    name: first.part.name,
    expectFailure: first.part.expectFailure,
    report: toReport(all, covered.length === 1 ? all : null),
    parts: segments,
    missing,
    complete: missing.length === 0,
    unused,
  };
}

type Sourced = { part: MergeablePart; source: string };

function checkSameConfiguration(a: Sourced, b: Sourced): void {
  const p = a.part;
  const q = b.part;
  const differences: string[] = [];
  if (p.total !== q.total) differences.push(`iterations ${p.total} vs ${q.total}`);
  if (p.baseSeed !== q.baseSeed) differences.push(`base seed ${p.baseSeed} vs ${q.baseSeed}`);
  if ((p.exploration === undefined) !== (q.exploration === undefined)) differences.push('exploration on vs off');
  if (p.independentRootSeeds !== q.independentRootSeeds) {
    differences.push(
      'root seeds explored independently (a shard or range) vs with the state of earlier seeds (a whole run): ' +
        'run the whole as --shard 1/1 to merge it with shards',
    );
  }
  if (p.expectFailure !== q.expectFailure) differences.push('expected failure declared vs not');
  if (differences.length === 0 && p.fingerprint !== q.fingerprint) {
    differences.push('the network, storage, chaos, exploration configuration or limits differ (fingerprints differ)');
  }
  if (differences.length > 0) {
    throw new ReportMergeError(
      `${p.name}: ${a.source} and ${b.source} come from different configurations (${differences.join('; ')}); ` +
        'only parts of one run merge',
    );
  }
}

/** Two parts covering one index must have run the same seed the same way: else the simulation is not deterministic. */
function checkAgreement(entries: readonly Sourced[]): void {
  const seen = new Map<number, { hash: string; ok: boolean; seed: string; source: string }>();
  for (const { part, source } of entries) {
    part.runs.forEach((run, k) => {
      const index = part.from + k;
      const known = seen.get(index);
      if (known === undefined) {
        seen.set(index, { hash: run.traceHash, ok: run.ok, seed: run.seed, source });
        return;
      }
      if (known.seed !== run.seed) {
        throw new ReportMergeError(
          `${part.name}: index ${index} ran seed ${known.seed} in ${known.source} but seed ${run.seed} in ${source}`,
        );
      }
      if (known.hash !== run.traceHash || known.ok !== run.ok) {
        throw new ReportMergeError(
          `${part.name}: non-determinism: index ${index} (seed ${run.seed}) has trace hash ${known.hash} in ` +
            `${known.source} but ${run.traceHash} in ${source}; reproduce with sim run --seed ${run.seed} --check-determinism`,
        );
      }
    });
  }
}

/**
 * Picks parts covering each covered index exactly once: among parts with equal ranges the first is
 * kept (the others must agree with it); then each stretch of overlapping ranges is covered by a chain
 * of adjacent ranges, preferring the longest. Parts carry their assertion results summed, so overlaps
 * that no chain resolves cannot count once: that is an error naming them.
 */
function chooseParts(entries: readonly Sourced[]): {
  chosen: Sourced[];
  unused: UnusedPart[];
} {
  const unused: UnusedPart[] = [];
  const byRange = new Map<string, Sourced>();
  for (const e of entries) {
    const key = formatRange(e.part);
    const kept = byRange.get(key);
    if (kept === undefined) {
      byRange.set(key, e);
      continue;
    }
    if (stableJson(summaryOf(kept.part)) !== stableJson(summaryOf(e.part))) {
      throw new ReportMergeError(
        `${e.part.name}: non-determinism: ${kept.source} and ${e.source} both cover ${key} with the same trace ` +
          'hashes but different assertion or exploration results',
      );
    }
    unused.push({ source: e.source, from: e.part.from, to: e.part.to, reason: 'duplicate' });
  }
  const distinct = [...byRange.values()].sort((a, b) => a.part.from - b.part.from || b.part.to - a.part.to);
  const empty = distinct.filter((e) => e.part.from === e.part.to);
  const ranges = distinct.filter((e) => e.part.from < e.part.to);
  // Empty parts (a shard of more shards than iterations) cover nothing; one stays when nothing else does.
  if (ranges.length === 0) return { chosen: empty.slice(0, 1), unused };
  const chosen: Sourced[] = [];
  let i = 0;
  while (i < ranges.length) {
    // A stretch: ranges overlapping one another, up to the first gap or plain adjacency.
    let end = (ranges[i] as { part: MergeablePart }).part.to;
    let j = i + 1;
    while (j < ranges.length && (ranges[j] as { part: MergeablePart }).part.from < end) {
      end = Math.max(end, (ranges[j] as { part: MergeablePart }).part.to);
      j++;
    }
    const stretch = ranges.slice(i, j);
    const chain = exactChain(stretch, end);
    if (chain === null) {
      const list = stretch.map((e) => `${e.source} (${formatRange(e.part)})`).join(', ');
      throw new ReportMergeError(
        `${stretch[0]?.part.name}: overlapping parts ${list} cannot count each index once: a part's assertion ` +
          'counts are kept summed, so they cannot be split; merge parts of one split (the same --shard n) or ' +
          'add parts that cover the overlap exactly',
      );
    }
    for (const e of stretch) {
      if (!chain.includes(e)) unused.push({ source: e.source, from: e.part.from, to: e.part.to, reason: 'overlap' });
    }
    chosen.push(...chain);
    i = j;
  }
  return { chosen, unused };
}

/** Adjacent ranges from the stretch's start to `end` (longest steps first), or null if there is none. */
function exactChain<T extends { part: MergeablePart }>(stretch: readonly T[], end: number): T[] | null {
  const start = (stretch[0] as T).part.from;
  const via = new Map<number, T[]>([[start, []]]);
  const positions = [...new Set(stretch.map((e) => e.part.from))].sort((a, b) => a - b);
  for (const at of positions) {
    const path = via.get(at);
    if (path === undefined) continue;
    for (const e of stretch) {
      if (e.part.from === at && !via.has(e.part.to)) via.set(e.part.to, [...path, e]);
    }
  }
  return via.get(end) ?? null;
}

/** Consecutive chosen parts joined into maximal parts (each as one part, its results combined). */
function joinSegments(chosen: readonly { part: MergeablePart }[]): MergeablePart[] {
  const sorted = [...chosen].sort((a, b) => a.part.from - b.part.from);
  const segments: MergeablePart[][] = [];
  for (const { part } of sorted) {
    const last = segments[segments.length - 1];
    const lastPart = last?.[last.length - 1];
    if (last !== undefined && lastPart !== undefined && lastPart.to === part.from) last.push(part);
    else segments.push([part]);
  }
  return segments.map(combine);
}

/** Parts of one simulation, disjoint and in index order, combined into one (spanning their first to last index). */
function combine(parts: readonly MergeablePart[]): MergeablePart {
  const sorted = [...parts].sort((a, b) => a.from - b.from);
  const first = sorted[0] as MergeablePart;
  const last = sorted[sorted.length - 1] as MergeablePart;
  if (sorted.length === 1) return first;
  const exploring = first.exploration !== undefined;
  const results = combinePartResults(sorted.map((p) => p.assertions.map(assertionFromJson)), exploring);
  const out: MergeablePart = {
    ...first,
    from: first.from,
    to: last.to,
    runs: sorted.flatMap((p) => p.runs),
    assertions: results.map(assertionToJson),
    warnings: [...new Set(sorted.flatMap((p) => p.warnings))],
    wallMs: sorted.reduce((n, p) => n + p.wallMs, 0),
  };
  if (exploring) out.exploration = combineExplorations(sorted.map((p) => p.exploration as MergeableExplorationJson));
  return out;
}

/** Explorations of consecutive root seeds: sums, lists in seed order, the last seed's energy, maps ORed. */
function combineExplorations(parts: readonly MergeableExplorationJson[]): MergeableExplorationJson {
  const sum = (f: (e: MergeableExplorationJson) => number): number => parts.reduce((n, e) => n + f(e), 0);
  const withSeeds = parts.filter((e) => e.perSeedTimelines.length > 0);
  const last = withSeeds[withSeeds.length - 1] ?? (parts[0] as MergeableExplorationJson);
  const map = Buffer.alloc(Buffer.from(last.exploredMap, 'base64').length);
  for (const e of parts) {
    const bytes = Buffer.from(e.exploredMap, 'base64');
    for (let i = 0; i < map.length; i++) map[i] = (map[i] as number) | (bytes[i] ?? 0);
  }
  const snapshotStarts = sum((e) => e.snapshotStarts ?? 0);
  return {
    totalTimelines: sum((e) => e.totalTimelines),
    forkPoints: sum((e) => e.forkPoints),
    bugsFound: sum((e) => e.bugsFound),
    bugRecipes: parts.flatMap((e) => e.bugRecipes),
    energyRemaining: last.energyRemaining,
    reallocPoolRemaining: last.reallocPoolRemaining,
    coverageBits: countSetBits(map),
    coverageTotal: last.coverageTotal,
    converged: parts.every((e) => e.converged),
    perSeedTimelines: parts.flatMap((e) => e.perSeedTimelines),
    draws: sum((e) => e.draws),
    ownDraws: sum((e) => e.ownDraws),
    ...(snapshotStarts > 0 ? { snapshotStarts } : {}),
    // A property of the machines that ran the parts, not of the results: the most any part used.
    threads: Math.max(...parts.map((e) => e.threads)),
    exploredMap: map.toString('base64'),
  };
}

/** The simulation report of a combined part; `indices` only when it spans one stretch of indices. */
function toReport(part: MergeablePart, whole: MergeablePart | null): SimulationReport {
  const report: SimulationReport = {
    name: part.name,
    ...reportOfRuns(part.runs.map(runFromJson), part.assertions.map(assertionFromJson)),
    warnings: [...part.warnings],
    totalWallMs: part.wallMs,
  };
  if (part.exploration !== undefined) report.exploration = explorationFromJson(part.exploration);
  if (whole !== null) {
    report.indices = {
      total: whole.total,
      from: whole.from,
      to: whole.to,
      baseSeed: BigInt(whole.baseSeed),
      fingerprint: whole.fingerprint,
      independentRootSeeds: whole.independentRootSeeds,
    };
  }
  return withToJson(report);
}

function explorationFromJson(e: MergeableExplorationJson): ExplorationReport {
  const { bugRecipes, ...rest } = e;
  return { ...rest, bugRecipes: bugRecipes.map(bugFromJson) };
}

function assertionFromJson(a: AssertionJson): AssertionResult {
  const { watermark, ...rest } = a;
  const out: AssertionResult = { ...rest, status: a.status as AssertionResult['status'] };
  if (watermark !== undefined) out.watermark = typeof watermark === 'string' ? BigInt(watermark) : watermark;
  if (a.conditions !== undefined) out.conditions = a.conditions.map((c) => ({ ...c }));
  if (a.buckets !== undefined) {
    out.buckets = a.buckets.map((b) => (b.quality ? { ...b, quality: { ...b.quality } } : { ...b }));
  }
  return out;
}

function assertionToJson(a: AssertionResult): AssertionJson {
  const { watermark, ...rest } = a;
  const out: AssertionJson = { ...rest };
  if (watermark !== undefined) out.watermark = typeof watermark === 'bigint' ? watermark.toString() : watermark;
  return out;
}

/** What two parts with the same range must agree on beyond their runs' hashes. */
function summaryOf(part: MergeablePart): unknown {
  const { wallMs: _wall, runs, exploration, ...rest } = part;
  const explored = exploration === undefined ? undefined : { ...exploration, threads: 0 };
  return { ...rest, exploration: explored, runs: runs.map(({ wallMs: _w, ...run }) => run) };
}

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

/** The indices of [0, total) outside `covered` (sorted, disjoint). */
function gaps(covered: readonly IndexRange[], total: number): IndexRange[] {
  const out: IndexRange[] = [];
  let at = 0;
  for (const { from, to } of covered) {
    if (from > at) out.push({ from: at, to: from });
    at = Math.max(at, to);
  }
  if (at < total) out.push({ from: at, to: total });
  return out;
}

