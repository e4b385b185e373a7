/** One kind per assertion family; the four comparisons of a numeric family share a kind (see `cmp`). */
export type AssertionKind =
  | 'Always'
  | 'AlwaysOrUnreachable'
  | 'Sometimes'
  | 'Reachable'
  | 'Unreachable'
  | 'NumericAlways'
  | 'NumericSometimes'
  | 'BooleanSometimesAll'
  | 'EachBucket';

export type NumericCmp = 'gt' | 'ge' | 'lt' | 'le';
/** Numeric assertions take integers; `bigint` keeps 64-bit values exact (JS compares mixed types exactly). */
export type IntValue = number | bigint;
export type AssertionStatus = 'pass' | 'fail' | 'uncovered';

export interface BucketSummary {
  /** Identity: the identity keys sorted by name, as JSON (`{"floor":2,"room":"b"}`). */
  key: string;
  hits: number;
  /** Best quality seen; qualities compare lexicographically in the order their keys were given. */
  quality?: Record<string, number>;
}

export interface AssertionResult {
  msg: string;
  kind: AssertionKind;
  passCount: number;
  failCount: number;
  status: AssertionStatus;
  cmp?: NumericCmp;
  /** Best value seen: max for gt/ge, min for lt/le. */
  watermark?: IntValue;
  /** Most conditions true at once (BooleanSometimesAll). */
  frontier?: number;
  conditions?: { name: string; seenTrue: boolean }[];
  buckets?: BucketSummary[];
}

export interface AssertionViolations {
  /** Definite bugs. */
  alwaysViolations: string[];
  /** Statistical: only meaningful with enough iterations. */
  coverageViolations: string[];
}

/** Called on every splitpoint; `bucket` is the bucket key when an each-bucket caused it. */
export type DiscoveryHook = (mark: string, bucket?: string) => void;

export const MAX_ASSERTION_SLOTS = 128;
export const MAX_EACH_BUCKETS = 256;
export const COVERAGE_BITS = 8192;
/** Past this many warnings, dynamic messages would only grow memory: say so once and stop. */
const MAX_WARNINGS = 256;

interface Bucket {
  hits: number;
  qualityNames: string[];
  quality: number[] | null;
}

interface Slot {
  msg: string;
  kind: AssertionKind;
  pass: number;
  fail: number;
  cmp: NumericCmp | undefined;
  watermark: IntValue | undefined;
  frontier: number;
  conditions: Map<string, boolean>;
  buckets: Map<string, Bucket>;
  bucketsFull: boolean;
}

const encoder = new TextEncoder();

/** 32-bit FNV-1a over the UTF-8 bytes of `text`. */
export function fnv1a32(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of encoder.encode(text)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The coverage-bitmap bit of a mark (or of `mark \0 bucketKey` for an each-bucket). */
export function coverageBit(mark: string, bucket?: string): number {
  return fnv1a32(bucket === undefined ? mark : `${mark}\u0000${bucket}`) % COVERAGE_BITS;
}

/** Sorted key/value pairs as JSON: the same combination always gives the same identity. */
export function bucketKey(keys: Readonly<Record<string, string | number | boolean>>): string {
  const sorted: Record<string, string | number | boolean> = {};
  for (const name of Object.keys(keys).sort())
    sorted[name] = keys[name] as string | number | boolean;
  return JSON.stringify(sorted);
}

/**
 * Assertion statistics for one simulation run (all its iterations). An assertion's identity is its
 * message. Recording never throws for bad input: misuse becomes a warning.
 */
export class AssertionStore {
  onDiscovery: DiscoveryHook | null = null;
  private readonly slots = new Map<string, Slot>();
  private readonly warned = new Set<string>();
  private readonly warningList: string[] = [];
  private readonly iterationFailures = new Set<string>();
  private readonly bits = new Uint32Array(COVERAGE_BITS / 32);

  /** Starts an iteration: forgets its always-failures and its coverage bitmap. */
  beginIteration(): void {
    this.iterationFailures.clear();
    this.bits.fill(0);
  }

  /** Forgets everything recorded (the discovery hook stays). */
  reset(): void {
    this.slots.clear();
    this.warned.clear();
    this.warningList.length = 0;
    this.beginIteration();
  }

  recordBool(
    kind: 'Always' | 'AlwaysOrUnreachable' | 'Sometimes',
    cond: boolean,
    msg: string,
  ): void {
    const slot = this.slot(msg, kind);
    if (slot === null) return;
    if (cond) {
      slot.pass++;
      if (kind === 'Sometimes' && slot.pass === 1) this.discover(msg);
    } else {
      slot.fail++;
      if (kind !== 'Sometimes') this.iterationFailures.add(msg);
    }
  }

  recordReachable(msg: string): void {
    const slot = this.slot(msg, 'Reachable');
    if (slot === null) return;
    slot.pass++;
    if (slot.pass === 1) this.discover(msg);
  }

  /** Reaching it is the failure. */
  recordUnreachable(msg: string): void {
    const slot = this.slot(msg, 'Unreachable');
    if (slot === null) return;
    slot.fail++;
    this.iterationFailures.add(msg);
  }

  recordNumeric(
    kind: 'NumericAlways' | 'NumericSometimes',
    cmp: NumericCmp,
    value: IntValue,
    threshold: IntValue,
    msg: string,
  ): void {
    const slot = this.slot(msg, kind, cmp);
    if (slot === null) return;
    const ok = compare(cmp, value, threshold);
    if (ok) slot.pass++;
    else slot.fail++;
    if (!ok && kind === 'NumericAlways') this.iterationFailures.add(msg);
    // NaN is no value: it neither improves nor blocks the watermark.
    if (typeof value === 'number' && Number.isNaN(value)) return;
    const wm = slot.watermark;
    const improves = wm === undefined || (cmp === 'gt' || cmp === 'ge' ? value > wm : value < wm);
    if (!improves) return;
    slot.watermark = value;
    if (kind === 'NumericSometimes') this.discover(msg);
  }

  recordSometimesAll(msg: string, conditions: Readonly<Record<string, boolean>>): void {
    const slot = this.slot(msg, 'BooleanSometimesAll');
    if (slot === null) return;
    let trueCount = 0;
    let total = 0;
    for (const [name, value] of Object.entries(conditions)) {
      total++;
      if (value) {
        trueCount++;
        slot.conditions.set(name, true);
      } else if (!slot.conditions.has(name)) slot.conditions.set(name, false);
    }
    if (total > 0 && trueCount === total) slot.pass++;
    else slot.fail++;
    if (trueCount > slot.frontier) {
      slot.frontier = trueCount;
      this.discover(msg);
    }
  }

  recordEach(
    msg: string,
    keys: Readonly<Record<string, string | number | boolean>>,
    quality?: Readonly<Record<string, number>>,
  ): void {
    const slot = this.slot(msg, 'EachBucket');
    if (slot === null) return;
    slot.pass++;
    const key = bucketKey(keys);
    const names = quality === undefined ? [] : Object.keys(quality);
    const values = names.map((n) => quality?.[n] as number);
    let bucket = slot.buckets.get(key);
    if (bucket === undefined) {
      if (slot.buckets.size >= MAX_EACH_BUCKETS) {
        if (!slot.bucketsFull)
          this.warn(`"${msg}": more than ${MAX_EACH_BUCKETS} buckets; extra buckets dropped`);
        slot.bucketsFull = true;
        return;
      }
      bucket = { hits: 1, qualityNames: names, quality: names.length > 0 ? values : null };
      slot.buckets.set(key, bucket);
      this.discover(msg, key);
      return;
    }
    bucket.hits++;
    if (names.length > 0 && (bucket.quality === null || lexGreater(values, bucket.quality))) {
      bucket.quality = values;
      bucket.qualityNames = names;
      this.discover(msg, key);
    }
  }

  /** Messages of always-style assertions that failed in the current iteration. */
  iterationAlwaysViolations(): string[] {
    return [...this.iterationFailures];
  }

  /** A copy of this iteration's 8192-bit coverage bitmap. */
  coverageBits(): Uint32Array {
    return this.bits.slice();
  }

  results(): AssertionResult[] {
    return [...this.slots.values()].map(toResult);
  }

  validate(): AssertionViolations {
    return validateResults(this.results());
  }

  warnings(): string[] {
    return [...this.warningList];
  }

  /** Records a warning once per distinct text (bounded, so dynamic messages cannot grow it forever). */
  warn(text: string): void {
    if (this.warned.has(text) || this.warningList.length > MAX_WARNINGS) return;
    this.warned.add(text);
    this.warningList.push(
      this.warningList.length === MAX_WARNINGS
        ? 'too many assertion warnings; further ones suppressed'
        : text,
    );
  }

  private slot(msg: string, kind: AssertionKind, cmp?: NumericCmp): Slot | null {
    const existing = this.slots.get(msg);
    if (existing !== undefined) {
      if (existing.kind === kind && existing.cmp === cmp) return existing;
      this.warn(
        `"${msg}": used as ${describeKind(kind, cmp)} after ${describeKind(existing.kind, existing.cmp)}; later use ignored`,
      );
      return null;
    }
    if (this.slots.size >= MAX_ASSERTION_SLOTS) {
      this.warn(`"${msg}": more than ${MAX_ASSERTION_SLOTS} assertions; this one is not tracked`);
      return null;
    }
    const slot: Slot = {
      msg,
      kind,
      pass: 0,
      fail: 0,
      cmp,
      watermark: undefined,
      frontier: 0,
      conditions: new Map(),
      buckets: new Map(),
      bucketsFull: false,
    };
    this.slots.set(msg, slot);
    return slot;
  }

  private discover(mark: string, bucket?: string): void {
    const bit = coverageBit(mark, bucket);
    this.bits[bit >>> 5] = (this.bits[bit >>> 5] ?? 0) | (1 << (bit & 31));
    this.onDiscovery?.(mark, bucket);
  }
}

function compare(cmp: NumericCmp, v: IntValue, t: IntValue): boolean {
  switch (cmp) {
    case 'gt':
      return v > t;
    case 'ge':
      return v >= t;
    case 'lt':
      return v < t;
    case 'le':
      return v <= t;
  }
}

function lexGreater(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] ?? Number.NEGATIVE_INFINITY;
    if (x !== y) return x > y;
  }
  return false;
}

function describeKind(kind: AssertionKind, cmp: NumericCmp | undefined): string {
  return cmp === undefined ? kind : `${kind} ${cmp}`;
}

function statusOf(s: Slot): AssertionStatus {
  switch (s.kind) {
    case 'Always':
    case 'AlwaysOrUnreachable':
    case 'NumericAlways':
    case 'Unreachable':
      return s.fail > 0 ? 'fail' : 'pass';
    default:
      return s.pass > 0 ? 'pass' : 'uncovered';
  }
}

function toResult(s: Slot): AssertionResult {
  const r: AssertionResult = {
    msg: s.msg,
    kind: s.kind,
    passCount: s.pass,
    failCount: s.fail,
    status: statusOf(s),
  };
  if (s.cmp !== undefined) r.cmp = s.cmp;
  if (s.watermark !== undefined) r.watermark = s.watermark;
  if (s.kind === 'BooleanSometimesAll') {
    r.frontier = s.frontier;
    r.conditions = [...s.conditions].map(([name, seenTrue]) => ({ name, seenTrue }));
  }
  if (s.kind === 'EachBucket') {
    r.buckets = [...s.buckets].map(([key, b]) => {
      const summary: BucketSummary = { key, hits: b.hits };
      if (b.quality !== null) {
        summary.quality = Object.fromEntries(
          b.qualityNames.map((n, i) => [n, b.quality?.[i] as number]),
        );
      }
      return summary;
    });
  }
  return r;
}

/** Splits results into always violations (definite bugs) and coverage violations (statistical). */
export function validateResults(results: readonly AssertionResult[]): AssertionViolations {
  const alwaysViolations: string[] = [];
  const coverageViolations: string[] = [];
  for (const r of results) {
    const label = `[${describeKind(r.kind, r.cmp)}] "${r.msg}"`;
    const total = r.passCount + r.failCount;
    const best = r.watermark === undefined ? '' : `, watermark ${r.watermark}`;
    switch (r.kind) {
      case 'Always':
      case 'AlwaysOrUnreachable':
      case 'NumericAlways':
        if (r.failCount > 0)
          alwaysViolations.push(`${label} failed ${r.failCount} of ${total} times${best}`);
        break;
      case 'Unreachable':
        if (r.failCount > 0) alwaysViolations.push(`${label} was reached ${r.failCount} times`);
        break;
      case 'Sometimes':
        if (r.passCount === 0)
          coverageViolations.push(`${label} was never true (${total} evaluations)`);
        break;
      case 'Reachable':
        if (r.passCount === 0) coverageViolations.push(`${label} was never reached`);
        break;
      case 'NumericSometimes':
        if (r.passCount === 0)
          coverageViolations.push(`${label} never succeeded (${total} evaluations${best})`);
        break;
      default:
        break;
    }
  }
  return { alwaysViolations, coverageViolations };
}
