import { ASSERTION_KINDS, type AssertionResult, type BucketSummary, type IntValue } from '@moonpool/explorer';

/**
 * The assertion results of consecutive parts of one run, given in index order (each part's results in
 * the order first reached, catalogued unreached sites last): the results the whole run reports.
 *
 * Plain runs keep one store over all iterations, so counts and hits add up, watermarks, frontiers and
 * bucket qualities take the best, conditions seen true stay so. Explorations add up their root seeds'
 * results as the run does (`mergeSeedResults`). In both, an assertion, condition or bucket comes in
 * the order the whole run first reached it: the order of the first part that has it.
 */
export function combinePartResults(
  parts: readonly (readonly AssertionResult[])[],
  exploration: boolean,
): AssertionResult[] {
  const reached = parts.map((p) => p.filter((r) => r.unreached !== true));
  const merged = exploration ? mergeSeedResults(reached) : combineIterations(reached);
  // Catalogued sites no part reached: in catalogue order (every part lists them in that order).
  const seen = new Set(merged.map((r) => r.msg));
  for (const part of parts) {
    for (const r of part) {
      if (r.unreached !== true || seen.has(r.msg)) continue;
      seen.add(r.msg);
      merged.push({ ...r });
    }
  }
  return merged;
}

function combineIterations(parts: readonly (readonly AssertionResult[])[]): AssertionResult[] {
  const merged = new Map<string, AssertionResult>();
  for (const part of parts) {
    for (const r of part) {
      const acc = merged.get(r.msg);
      if (acc === undefined) merged.set(r.msg, copy(r));
      // The store ignores a message used again with another kind: the first use holds it.
      else if (acc.kind === r.kind && acc.cmp === r.cmp) addInto(acc, r);
    }
  }
  return [...merged.values()];
}

function copy(r: AssertionResult): AssertionResult {
  const out: AssertionResult = { ...r };
  if (r.conditions !== undefined) out.conditions = r.conditions.map((c) => ({ ...c }));
  if (r.buckets !== undefined) out.buckets = r.buckets.map(copyBucket);
  return out;
}

function copyBucket(b: BucketSummary): BucketSummary {
  return b.quality === undefined ? { ...b } : { ...b, quality: { ...b.quality } };
}

function addInto(acc: AssertionResult, r: AssertionResult): void {
  acc.passCount += r.passCount;
  acc.failCount += r.failCount;
  acc.status = ASSERTION_KINDS[acc.kind].status(acc.passCount, acc.failCount);
  if (r.watermark !== undefined && (acc.watermark === undefined || improves(acc.cmp, r.watermark, acc.watermark))) {
    acc.watermark = r.watermark;
  }
  if (r.frontier !== undefined) acc.frontier = Math.max(acc.frontier ?? 0, r.frontier);
  if (r.conditions !== undefined) {
    const conditions = (acc.conditions ??= []);
    for (const c of r.conditions) {
      const known = conditions.find((k) => k.name === c.name);
      if (known === undefined) conditions.push({ ...c });
      else known.seenTrue ||= c.seenTrue;
    }
  }
  if (r.buckets !== undefined) {
    const buckets = (acc.buckets ??= []);
    const byKey = new Map(buckets.map((b) => [b.key, b]));
    for (const b of r.buckets) {
      const known = byKey.get(b.key);
      if (known === undefined) {
        const added = copyBucket(b);
        buckets.push(added);
        byKey.set(b.key, added);
        continue;
      }
      known.hits += b.hits;
      if (b.quality !== undefined && (known.quality === undefined || qualityAbove(b.quality, known.quality))) {
        known.quality = { ...b.quality };
      }
    }
  }
}

/** The watermark is a max for gt/ge and a min for lt/le (as the store keeps it). */
function improves(cmp: AssertionResult['cmp'], value: IntValue, best: IntValue): boolean {
  return cmp === 'gt' || cmp === 'ge' ? value > best : value < best;
}

/** Qualities compare by position, first most significant (as the store compares them). */
function qualityAbove(a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>): boolean {
  const x = Object.values(a);
  const y = Object.values(b);
  for (let i = 0; i < x.length; i++) {
    const u = x[i] as number;
    const v = y[i] ?? Number.NEGATIVE_INFINITY;
    if (u !== v) return u > v;
  }
  return false;
}

/** Assertion results of all root seeds: counts added up, the latest watermarks and buckets kept. */
export function mergeSeedResults(seeds: readonly (readonly AssertionResult[])[]): AssertionResult[] {
  const merged = new Map<string, AssertionResult>();
  for (const results of seeds) {
    for (const r of results) {
      const before = merged.get(r.msg);
      if (before === undefined) {
        merged.set(r.msg, { ...r });
        continue;
      }
      const status = before.status === 'fail' || r.status === 'fail' ? 'fail' : before.status === 'pass' ? 'pass' : r.status;
      merged.set(r.msg, {
        ...r,
        passCount: before.passCount + r.passCount,
        failCount: before.failCount + r.failCount,
        status,
      });
    }
  }
  return [...merged.values()];
}

