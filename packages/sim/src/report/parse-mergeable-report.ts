import { ASSERTION_KINDS, parseRecipe } from '@moonpool/explorer';
import {
  MERGEABLE_REPORT_FORMAT,
  MERGEABLE_REPORT_FORMAT_VERSION,
  type MergeableReport,
  ReportMergeError,
} from './mergeable-report.js';

type Json = Record<string, unknown>;

/**
 * Reads a mergeable report file's text (`source` names it in messages). Everything the merge relies
 * on is checked: a file that is not JSON (a truncated one), of another format or layout, or with a
 * field missing or of the wrong type is a `ReportMergeError` naming the file and the field.
 */
export function parseMergeableReport(text: string, source = 'report'): MergeableReport {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const truncated = text.trim().length === 0 ? ' (the file is empty)' : ' (is the file truncated?)';
    throw new ReportMergeError(`${source}: not valid JSON${truncated}: ${(err as Error).message}`);
  }
  const check = new Checker(source);
  const root = check.object(value, '');
  if (root.format !== MERGEABLE_REPORT_FORMAT) {
    throw new ReportMergeError(`${source}: not a moonpool mergeable report (write one with sim run --out <file>)`);
  }
  if (root.formatVersion !== MERGEABLE_REPORT_FORMAT_VERSION) {
    throw new ReportMergeError(
      `${source}: report layout ${String(root.formatVersion)}; this moonpool reads layout ${MERGEABLE_REPORT_FORMAT_VERSION}`,
    );
  }
  check.string(root.moonpoolVersion, 'moonpoolVersion');
  check.array(root.simulations, 'simulations').forEach((s, i) => checkPart(check, s, `simulations[${i}]`));
  return value as MergeableReport;
}

function checkPart(check: Checker, value: unknown, at: string): void {
  const p = check.object(value, at);
  check.string(p.name, `${at}.name`);
  if (typeof p.fingerprint !== 'string' || !/^[0-9a-f]{64}$/.test(p.fingerprint)) {
    check.fail(`${at}.fingerprint`, 'a SHA-256 in hex');
  }
  const total = check.count(p.total, `${at}.total`);
  check.decimal(p.baseSeed, `${at}.baseSeed`);
  check.boolean(p.independentRootSeeds, `${at}.independentRootSeeds`);
  check.boolean(p.expectFailure, `${at}.expectFailure`);
  const from = check.count(p.from, `${at}.from`);
  const to = check.count(p.to, `${at}.to`);
  if (from > to || to > total) check.fail(`${at}.from/to`, `0 <= from <= to <= total (${total}), got ${from}:${to}`);
  const runs = check.array(p.runs, `${at}.runs`);
  if (runs.length !== to - from) {
    check.fail(`${at}.runs`, `one run per index of ${from}:${to} (${to - from}), got ${runs.length}`);
  }
  runs.forEach((r, k) => checkRun(check, r, `${at}.runs[${k}]`));
  check.array(p.assertions, `${at}.assertions`).forEach((a, k) => checkAssertion(check, a, `${at}.assertions[${k}]`));
  check.array(p.warnings, `${at}.warnings`).forEach((w, k) => check.string(w, `${at}.warnings[${k}]`));
  check.number(p.wallMs, `${at}.wallMs`);
  if (p.exploration !== undefined) checkExploration(check, p.exploration, `${at}.exploration`, to - from);
}

function checkRun(check: Checker, value: unknown, at: string): void {
  const r = check.object(value, at);
  check.decimal(r.seed, `${at}.seed`);
  check.boolean(r.ok, `${at}.ok`);
  check.string(r.traceHash, `${at}.traceHash`);
  check.number(r.events, `${at}.events`);
  check.number(r.simTimeMs, `${at}.simTimeMs`);
  check.number(r.wallMs, `${at}.wallMs`);
  check.array(r.alwaysViolations, `${at}.alwaysViolations`).forEach((m, k) => check.string(m, `${at}.alwaysViolations[${k}]`));
  if (r.error !== undefined) check.string(r.error, `${at}.error`);
  if (r.failure !== undefined) check.string(check.object(r.failure, `${at}.failure`).kind, `${at}.failure.kind`);
  if (r.draws !== undefined) check.number(r.draws, `${at}.draws`);
  if (r.ownDraws !== undefined) check.number(r.ownDraws, `${at}.ownDraws`);
}

function checkAssertion(check: Checker, value: unknown, at: string): void {
  const a = check.object(value, at);
  check.string(a.msg, `${at}.msg`);
  if (typeof a.kind !== 'string' || !Object.hasOwn(ASSERTION_KINDS, a.kind)) check.fail(`${at}.kind`, 'an assertion kind');
  check.string(a.status, `${at}.status`);
  check.count(a.passCount, `${at}.passCount`);
  check.count(a.failCount, `${at}.failCount`);
  if (a.cmp !== undefined && !['gt', 'ge', 'lt', 'le'].includes(a.cmp as string)) check.fail(`${at}.cmp`, 'gt, ge, lt or le');
  if (a.watermark !== undefined && typeof a.watermark !== 'number') check.decimal(a.watermark, `${at}.watermark`, true);
  if (a.frontier !== undefined) check.number(a.frontier, `${at}.frontier`);
  if (a.conditions !== undefined) {
    check.array(a.conditions, `${at}.conditions`).forEach((c, k) => {
      const o = check.object(c, `${at}.conditions[${k}]`);
      check.string(o.name, `${at}.conditions[${k}].name`);
      check.boolean(o.seenTrue, `${at}.conditions[${k}].seenTrue`);
    });
  }
  if (a.buckets !== undefined) {
    check.array(a.buckets, `${at}.buckets`).forEach((b, k) => {
      const o = check.object(b, `${at}.buckets[${k}]`);
      check.string(o.key, `${at}.buckets[${k}].key`);
      check.count(o.hits, `${at}.buckets[${k}].hits`);
      if (o.quality !== undefined) {
        for (const [name, q] of Object.entries(check.object(o.quality, `${at}.buckets[${k}].quality`))) {
          check.number(q, `${at}.buckets[${k}].quality.${name}`);
        }
      }
    });
  }
}

function checkExploration(check: Checker, value: unknown, at: string, seeds: number): void {
  const e = check.object(value, at);
  for (const field of ['totalTimelines', 'forkPoints', 'bugsFound', 'coverageBits', 'coverageTotal', 'threads']) {
    check.count(e[field], `${at}.${field}`);
  }
  for (const field of ['energyRemaining', 'reallocPoolRemaining', 'draws', 'ownDraws']) check.number(e[field], `${at}.${field}`);
  if (e.snapshotStarts !== undefined) check.count(e.snapshotStarts, `${at}.snapshotStarts`);
  check.boolean(e.converged, `${at}.converged`);
  const perSeed = check.array(e.perSeedTimelines, `${at}.perSeedTimelines`);
  if (perSeed.length !== seeds) check.fail(`${at}.perSeedTimelines`, `one entry per root seed (${seeds})`);
  perSeed.forEach((n, k) => check.count(n, `${at}.perSeedTimelines[${k}]`));
  check.array(e.bugRecipes, `${at}.bugRecipes`).forEach((b, k) => {
    const o = check.object(b, `${at}.bugRecipes[${k}]`);
    check.decimal(o.rootSeed, `${at}.bugRecipes[${k}].rootSeed`);
    check.string(o.recipe, `${at}.bugRecipes[${k}].recipe`);
    try {
      parseRecipe(o.recipe as string);
    } catch (err) {
      check.fail(`${at}.bugRecipes[${k}].recipe`, `a recipe (${(err as Error).message})`);
    }
  });
  const map = e.exploredMap;
  if (typeof map !== 'string' || Buffer.from(map, 'base64').length * 8 !== (e.coverageTotal as number)) {
    check.fail(`${at}.exploredMap`, `base64 of ${String(e.coverageTotal)} bits`);
  }
}

/** Type checks that name the file and the field of the first thing wrong. */
class Checker {
  constructor(private readonly source: string) {}

  fail(at: string, expected: string): never {
    throw new ReportMergeError(`${this.source}: ${at || 'the file'}: expected ${expected}`);
  }

  object(v: unknown, at: string): Json {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(at, 'an object');
    return v as Json;
  }

  array(v: unknown, at: string): unknown[] {
    if (!Array.isArray(v)) this.fail(at, 'an array');
    return v;
  }

  string(v: unknown, at: string): void {
    if (typeof v !== 'string') this.fail(at, 'a string');
  }

  boolean(v: unknown, at: string): void {
    if (typeof v !== 'boolean') this.fail(at, 'true or false');
  }

  number(v: unknown, at: string): void {
    if (typeof v !== 'number' || !Number.isFinite(v)) this.fail(at, 'a number');
  }

  count(v: unknown, at: string): number {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) this.fail(at, 'an integer >= 0');
    return v;
  }

  decimal(v: unknown, at: string, signed = false): void {
    if (typeof v !== 'string' || !(signed ? /^-?[0-9]+$/ : /^[0-9]+$/).test(v)) this.fail(at, 'a decimal integer string');
  }
}
