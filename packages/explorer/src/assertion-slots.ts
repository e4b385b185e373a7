import { CoverageBitmap } from './coverage-bitmap.js';
import { MAX_EACH_BUCKETS } from './each-site.js';
import { Slot } from './slot.js';
import type {
  AssertionKind,
  AssertionResult,
  AssertionViolations,
  BucketKeys,
  BucketQuality,
  DiscoveryHook,
  IntValue,
  NumericCmp,
} from './types.js';
import { describeKind, validateResults } from './validate.js';

export const MAX_ASSERTION_SLOTS = 128;
/** Past this many warnings, dynamic messages would only grow memory: say so once and stop. */
const MAX_WARNINGS = 256;

/**
 * Assertion statistics for one simulation run (all its iterations and timelines). An assertion's
 * identity is its message. Recording never throws for bad input: misuse becomes a warning.
 */
export class AssertionStore {
  onDiscovery: DiscoveryHook | null = null;
  /**
   * While true (a timeline replays its recipe prefix, which an ancestor already recorded) every
   * record method returns at once: no counts, watermarks, buckets, bits, discoveries or warnings.
   */
  suppressed = false;
  private readonly slots = new Map<string, Slot>();
  private readonly warned = new Set<string>();
  private readonly warningList: string[] = [];
  private readonly timelineFailures = new Set<string>();
  private readonly bitmap = new CoverageBitmap();

  /** Starts an iteration: forgets its always-failures and its coverage bitmap. */
  beginIteration(): void {
    this.timelineFailures.clear();
    this.bitmap.clear();
  }

  /** Starts a timeline of the multiverse: forgets its always-failures and its coverage bitmap. */
  beginTimeline(): void {
    this.timelineFailures.clear();
    this.bitmap.clear();
  }

  /**
   * Between root seeds of a multi-seed exploration: keeps watermarks, frontiers and buckets (with
   * their best qualities); resets pass/fail counts, first-time split triggers and the timeline state.
   */
  prepareNextSeed(): void {
    for (const slot of this.slots.values()) slot.prepareNextSeed();
    this.beginTimeline();
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
    if (this.suppressed) return;
    const slot = this.slot(msg, kind, undefined);
    if (slot === null) return;
    if (cond) {
      slot.pass++;
      if (kind === 'Sometimes' && !slot.triggered) this.trigger(slot);
    } else {
      slot.fail++;
      if (kind !== 'Sometimes') this.timelineFailures.add(msg);
    }
  }

  recordReachable(msg: string): void {
    if (this.suppressed) return;
    const slot = this.slot(msg, 'Reachable', undefined);
    if (slot === null) return;
    slot.pass++;
    if (!slot.triggered) this.trigger(slot);
  }

  /** Reaching it is the failure. */
  recordUnreachable(msg: string): void {
    if (this.suppressed) return;
    const slot = this.slot(msg, 'Unreachable', undefined);
    if (slot === null) return;
    slot.fail++;
    this.timelineFailures.add(msg);
  }

  recordNumeric(
    kind: 'NumericAlways' | 'NumericSometimes',
    cmp: NumericCmp,
    value: IntValue,
    threshold: IntValue,
    msg: string,
  ): void {
    if (this.suppressed) return;
    const slot = this.slot(msg, kind, cmp);
    if (slot === null) return;
    const ok = compare(cmp, value, threshold);
    if (ok) slot.pass++;
    else slot.fail++;
    if (!ok && kind === 'NumericAlways') this.timelineFailures.add(msg);
    // NaN is no value: it neither improves nor blocks the watermark.
    if (typeof value === 'number' && Number.isNaN(value)) return;
    const wm = slot.watermark;
    const improves = wm === undefined || (cmp === 'gt' || cmp === 'ge' ? value > wm : value < wm);
    if (!improves) return;
    slot.watermark = value;
    if (kind === 'NumericSometimes') this.discover(msg, slot.bit, undefined);
  }

  recordSometimesAll(msg: string, conditions: Readonly<Record<string, boolean>>): void {
    if (this.suppressed) return;
    const slot = this.slot(msg, 'BooleanSometimesAll', undefined);
    if (slot === null) return;
    const seen = slot.conditions as Map<string, boolean>;
    let trueCount = 0;
    let total = 0;
    for (const [name, value] of Object.entries(conditions)) {
      total++;
      if (value) {
        trueCount++;
        seen.set(name, true);
      } else if (!seen.has(name)) seen.set(name, false);
    }
    if (total > 0 && trueCount === total) slot.pass++;
    else slot.fail++;
    if (trueCount > slot.frontier) {
      slot.frontier = trueCount;
      this.discover(msg, slot.bit, undefined);
    }
  }

  recordEach(msg: string, keys: BucketKeys, quality?: BucketQuality): void {
    if (this.suppressed) return;
    const slot = this.slot(msg, 'EachBucket', undefined);
    if (slot === null) return;
    slot.pass++;
    const site = slot.each;
    if (site === null) return;
    const found = site.lookup(keys);
    if (typeof found !== 'string') {
      // The first hit since prepareNextSeed (hits were reset) splits again, as on a new bucket.
      const first = found.hits++ === 0;
      const improved = quality !== undefined && found.improve(quality);
      if (first || improved) this.discover(msg, found.bit, found.key);
      return;
    }
    if (site.full || site.buckets.size >= MAX_EACH_BUCKETS) {
      if (!site.full) this.warn(`"${msg}": more than ${MAX_EACH_BUCKETS} buckets; extra buckets dropped`);
      site.full = true;
      return;
    }
    const bucket = site.add(keys, found);
    bucket.hits = 1;
    if (quality !== undefined) bucket.improve(quality);
    this.discover(msg, bucket.bit, found);
  }

  /** Messages of always-style assertions that failed in the current iteration (timeline). */
  iterationAlwaysViolations(): string[] {
    return [...this.timelineFailures];
  }

  /** The current timeline's coverage bitmap itself (cleared by beginTimeline): read, do not keep. */
  get timelineBitmap(): CoverageBitmap {
    return this.bitmap;
  }

  /** A copy of this iteration's 8192-bit coverage bitmap. */
  coverageBits(): Uint32Array {
    return this.bitmap.words.slice();
  }

  results(): AssertionResult[] {
    return [...this.slots.values()].map((s) => s.toResult());
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

  private slot(msg: string, kind: AssertionKind, cmp: NumericCmp | undefined): Slot | null {
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
    const slot = new Slot(msg, kind, cmp);
    this.slots.set(msg, slot);
    return slot;
  }

  private trigger(slot: Slot): void {
    slot.triggered = true;
    this.discover(slot.msg, slot.bit, undefined);
  }

  private discover(mark: string, bit: number, bucket: string | undefined): void {
    this.bitmap.set(bit);
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
