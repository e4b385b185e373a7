import { ASSERTION_KINDS } from './assertion-kinds.js';
import { CoverageBitmap } from './coverage-bitmap.js';
import type { DeltaSum } from './delta-sum.js';
import type { Bucket } from './bucket.js';
import { type EachSite, MAX_EACH_BUCKETS } from './each-site.js';
import { numericHolds } from './numeric-holds.js';
import { Slot } from './slot.js';
import type { BaseChange, Creation, Discovery, SlotState, StoreDelta, StoreState, TimelineNews } from './store-state.js';
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
/** The news of a timeline that created, discovered and warned about nothing (shared, so frozen). */
const NO_NEWS: TimelineNews = Object.freeze({
  created: Object.freeze([]),
  discoveries: Object.freeze([]),
  warnings: Object.freeze([]),
});

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
  private readonly discoveries: Discovery[] = [];
  private readonly created: Creation[] = [];
  /** Warnings when the store was loaded (`importState`): later ones are a timeline's own. */
  private loadedWarnings = 0;
  /** Texts `warn` added to `warned` since the load (`restoreLoaded` forgets them). */
  private readonly warnedSinceLoad: string[] = [];
  /**
   * Slots reached, made or changed since the load, each once: a delta and a restore visit only
   * these, so a timeline's bookkeeping is proportional to what it touched, not to the store.
   */
  private readonly touched: Slot[] = [];
  /** The slot the last record reached: most records repeat the message before them (cleared by `untouch`). */
  private lastSlot: Slot | null = null;
  /**
   * Bumped by every change that may change `exportBase` (the base is cached until the next one); a
   * slot whose base changed is stamped with it (`Slot.changedAt`), the warnings likewise.
   */
  private version = 0;
  private warningsChangedAt = 0;
  /** The version of the last reset or whole load: a change since before it must be whole. */
  private replacedAt = 0;
  private base: { readonly version: number; readonly state: StoreState } | null = null;

  /** Starts an iteration: forgets its always-failures, coverage bitmap and discoveries. */
  beginIteration(): void {
    this.beginTimeline();
  }

  /** Starts a timeline of the multiverse: forgets its always-failures, coverage bitmap and discoveries. */
  beginTimeline(): void {
    // Each clear only when needed: setting an array's length costs about 75 ns, even an empty one's.
    if (this.timelineFailures.size > 0) this.timelineFailures.clear();
    this.bitmap.clear();
    if (this.discoveries.length > 0) this.discoveries.length = 0;
    if (this.created.length > 0) this.created.length = 0;
  }

  /**
   * Between root seeds of a multi-seed exploration: keeps watermarks, frontiers and buckets (with
   * their best qualities); resets pass/fail counts, first-time split triggers and the timeline state.
   */
  prepareNextSeed(): void {
    this.version++;
    for (const slot of this.slots.values()) {
      slot.prepareNextSeed();
      slot.changedAt = this.version;
    }
    this.beginTimeline();
  }

  /** Forgets everything recorded (the discovery hook stays). */
  reset(): void {
    this.replacedAt = ++this.version;
    this.untouch();
    this.slots.clear();
    this.warned.clear();
    this.warningList.length = 0;
    this.warnedSinceLoad.length = 0;
    this.beginIteration();
  }

  recordBool(
    kind: 'Always' | 'AlwaysOrUnreachable' | 'Sometimes',
    cond: boolean,
    msg: string,
  ): void {
    if (this.suppressed) return;
    this.version++;
    const slot = this.slot(msg, kind, undefined);
    if (slot === null) return;
    if (cond) {
      slot.pass++;
      if (kind === 'Sometimes' && !slot.triggered) this.trigger(slot);
    } else {
      slot.fail++;
      if (ASSERTION_KINDS[kind].family === 'always') this.timelineFailures.add(msg);
    }
  }

  recordReachable(msg: string): void {
    if (this.suppressed) return;
    this.version++;
    const slot = this.slot(msg, 'Reachable', undefined);
    if (slot === null) return;
    slot.pass++;
    if (!slot.triggered) this.trigger(slot);
  }

  /** Reaching it is the failure. */
  recordUnreachable(msg: string): void {
    if (this.suppressed) return;
    this.version++;
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
    this.version++;
    const slot = this.slot(msg, kind, cmp);
    if (slot === null) return;
    const ok = numericHolds(cmp, value, threshold);
    if (ok) slot.pass++;
    else slot.fail++;
    if (!ok && ASSERTION_KINDS[kind].family === 'always') this.timelineFailures.add(msg);
    // NaN is no value: it neither improves nor blocks the watermark.
    if (!slot.improvesWatermark(value)) return;
    slot.watermark = value;
    if (kind === 'NumericSometimes') this.discover(slot.bit, { kind: 'watermark', msg, value });
  }

  recordSometimesAll(msg: string, conditions: Readonly<Record<string, boolean>>): void {
    if (this.suppressed) return;
    this.version++;
    const slot = this.slot(msg, 'BooleanSometimesAll', undefined);
    if (slot === null) return;
    const seen = slot.conditions as Map<string, boolean>;
    let trueCount = 0;
    let total = 0;
    for (const [name, value] of Object.entries(conditions)) {
      total++;
      if (value) trueCount++;
      if (!seen.has(name)) this.created.push({ kind: 'condition', msg, name });
      if (value || !seen.has(name)) seen.set(name, value);
    }
    if (total > 0 && trueCount === total) slot.pass++;
    else slot.fail++;
    if (trueCount > slot.frontier) {
      slot.frontier = trueCount;
      this.discover(slot.bit, { kind: 'frontier', msg, value: trueCount });
    }
  }

  recordEach(msg: string, keys: BucketKeys, quality?: BucketQuality): void {
    if (this.suppressed) return;
    this.version++;
    const slot = this.slot(msg, 'EachBucket', undefined);
    if (slot === null) return;
    slot.pass++;
    // An EachBucket slot always has its site.
    const site = slot.each as EachSite;
    const found = site.lookup(keys);
    const bucket = typeof found === 'string' ? this.newBucket(msg, site, found, keys) : found;
    if (bucket === null) return;
    site.touch(bucket);
    // A new bucket, or the first hit since prepareNextSeed (hits were reset), splits: both take this
    // one path, so the optimised code has seen it before a reset bucket's first hit comes.
    const first = bucket.hits++ === 0;
    const improved = quality !== undefined && bucket.improve(quality);
    if (first || improved) this.discover(bucket.bit, bucketDiscovery(msg, bucket.key, first, quality));
  }

  /**
   * The bucket `key` made live and empty, if there is room (else dropped with a warning, null). Out of
   * `recordEach`, which then stays small: quicker to optimise, and cheaper inlined into its callers.
   */
  private newBucket(msg: string, site: EachSite, key: string, keys: BucketKeys): Bucket | null {
    if (site.full || site.buckets.size >= MAX_EACH_BUCKETS) {
      this.dropBucket(msg, site);
      return null;
    }
    const bucket = site.add(key, keys);
    this.created.push({ kind: 'bucket', msg, key, bit: bucket.bit });
    return bucket;
  }

  /** Messages of always-style assertions that failed in the current iteration (timeline). */
  iterationAlwaysViolations(): string[] {
    return [...this.timelineFailures];
  }

  /** The current timeline's coverage bitmap itself (cleared by beginTimeline): read, do not keep. */
  get timelineBitmap(): CoverageBitmap {
    return this.bitmap;
  }

  /** The set bits of this iteration's coverage bitmap, each once (a copy). */
  coverageBitList(): number[] {
    return this.bitmap.bits.slice();
  }

  /** A copy of this iteration's 8192-bit coverage bitmap. */
  coverageBits(): Uint32Array {
    return this.bitmap.words.slice();
  }

  /** Everything recorded, as plain data (for worker threads; see `importState`). */
  exportState(): StoreState {
    return { slots: [...this.slots.values()].map((s) => s.toState()), warnings: [...this.warningList] };
  }

  /**
   * The state a batch's timelines start from: all that decides their discoveries (triggers,
   * watermarks, frontiers, buckets hit or not and their best qualities), without counts, which are
   * each timeline's own. It changes only when something is discovered, so workers rarely need a new one.
   */
  exportBase(): StoreState {
    // The same object while nothing changed: callers compare bases by identity (load only a new one).
    if (this.base?.version !== this.version) {
      const state = { slots: [...this.slots.values()].map((s) => s.toBase()), warnings: [...this.warningList] };
      this.base = { version: this.version, state };
    }
    return this.base.state;
  }

  /** The version of the base: equal versions, equal bases. */
  get baseVersion(): number {
    return this.version;
  }

  /**
   * How the base changed since version `since` (see `BaseChange`): the slots changed since, or
   * everything when the store was reset or loaded whole since (or `since` is -1: the receiver has nothing).
   */
  exportBaseSince(since: number): BaseChange {
    const full = since < this.replacedAt;
    const slots: SlotState[] = [];
    for (const slot of this.slots.values()) if (full || slot.changedAt > since) slots.push(slot.toBase());
    const warnings = full || this.warningsChangedAt > since ? [...this.warningList] : null;
    return { version: this.version, full, slots, warnings };
  }

  /**
   * Brings a store holding an earlier base (loaded, or restored after a timeline) to the base a
   * `BaseChange` describes; only the changed slots are loaded.
   */
  applyBase(change: BaseChange): void {
    if (change.full) {
      this.importState({ slots: change.slots, warnings: change.warnings ?? [] });
      return;
    }
    this.replacedAt = ++this.version;
    this.untouch();
    this.warnedSinceLoad.length = 0;
    for (const s of change.slots) {
      let slot = this.slots.get(s.msg);
      if (slot === undefined || slot.kind !== s.kind || slot.cmp !== s.cmp) {
        slot = new Slot(s.msg, s.kind, s.cmp);
        this.slots.set(s.msg, slot);
      }
      slot.load(s);
    }
    if (change.warnings !== null) this.loadWarnings(change.warnings);
    this.beginTimeline();
  }

  /**
   * Replaces everything recorded by `state` (the discovery hook and the cached bucket keys stay), and
   * starts a timeline: a worker loads a batch's start state before each of the batch's timelines.
   */
  importState(state: StoreState): void {
    this.replacedAt = ++this.version;
    this.untouch();
    this.warnedSinceLoad.length = 0;
    const before = new Map(this.slots);
    this.slots.clear();
    for (const s of state.slots) {
      let slot = before.get(s.msg);
      if (slot === undefined || slot.kind !== s.kind || slot.cmp !== s.cmp) slot = new Slot(s.msg, s.kind, s.cmp);
      slot.load(s);
      this.slots.set(s.msg, slot);
    }
    this.loadWarnings(state.warnings);
    this.beginTimeline();
  }

  private loadWarnings(warnings: readonly string[]): void {
    this.warned.clear();
    this.warningList.length = 0;
    for (const text of warnings) {
      this.warned.add(text);
      this.warningList.push(text);
    }
    this.loadedWarnings = this.warningList.length;
  }

  /**
   * The counts and bests changed since `importState` (added up over a batch, see `DeltaSum`), in the
   * order the slots were first reached.
   */
  exportDelta(): StoreDelta {
    const slots: SlotState[] = [];
    for (const slot of this.touched) {
      const delta = slot.toDelta();
      if (delta !== null) slots.push(delta);
    }
    return { slots };
  }

  /** Adds `exportDelta()` to `sum` without building it (see `DeltaSum.addSlot`). */
  addDeltaTo(sum: DeltaSum): void {
    for (const slot of this.touched) sum.addSlot(slot);
  }

  /**
   * Puts the store back in the state the last `importState` left it in, visiting only what changed
   * since: a worker loads a batch's start state once and restores it after each timeline.
   */
  restoreLoaded(): void {
    this.replacedAt = ++this.version;
    for (const slot of this.touched) {
      if (slot.inBase) slot.restore();
      else this.slots.delete(slot.msg);
    }
    this.untouch();
    if (this.warnedSinceLoad.length > 0) {
      for (const text of this.warnedSinceLoad) this.warned.delete(text);
      this.warnedSinceLoad.length = 0;
    }
    if (this.warningList.length !== this.loadedWarnings) this.warningList.length = this.loadedWarnings;
    this.beginTimeline();
  }

  /** What the current timeline created, discovered and warned about, in order (see `mergeBatch`). */
  timelineNews(): TimelineNews {
    // Most timelines have none: they share one empty news.
    if (this.created.length + this.discoveries.length === 0 && this.warningList.length <= this.loadedWarnings) {
      return NO_NEWS;
    }
    return {
      created: [...this.created],
      discoveries: [...this.discoveries],
      warnings: this.warningList.slice(this.loadedWarnings),
    };
  }

  /**
   * Merges a batch whose timelines all ran on stores loaded with this store's state (`exportBase`):
   * first each timeline's news in the batch's order (what it created, then its discoveries judged
   * again: one an earlier timeline of the batch already made is no splitpoint), then the summed
   * deltas, whose order does not matter. Returns, per timeline, which of its discoveries still count.
   * The result is the same however the timelines were spread over threads.
   */
  mergeBatch(news: readonly TimelineNews[], sums: readonly StoreDelta[]): boolean[][] {
    // Slots whose base may change are stamped with the next version; it is kept only if something
    // changed (counts alone do not change the base, and a slot stamped for nothing is only resent).
    const version = this.version++;
    const firstHits = new Set<Bucket>();
    const kept = news.map((n) => {
      for (const c of n.created) this.create(c);
      for (const text of n.warnings) this.warn(text);
      return n.discoveries.map((d) => {
        const kept = this.rejudge(d, firstHits);
        if (kept) this.stamp(d.msg);
        return kept;
      });
    });
    let changed = news.some((n) => n.created.length + n.discoveries.length + n.warnings.length > 0);
    for (const sum of sums) {
      for (const delta of sum.slots) {
        if (!this.addCounts(delta)) continue;
        this.stamp(delta.msg);
        changed = true;
      }
    }
    this.version = changed ? version + 1 : version;
    return kept;
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
    this.version++;
    this.warned.add(text);
    this.warnedSinceLoad.push(text);
    this.warningsChangedAt = this.version;
    this.warningList.push(
      this.warningList.length === MAX_WARNINGS
        ? 'too many assertion warnings; further ones suppressed'
        : text,
    );
  }

  /** The slot of `msg` for a record, made if new; null (with a warning) when it cannot be used. */
  private slot(msg: string, kind: AssertionKind, cmp: NumericCmp | undefined): Slot | null {
    const last = this.lastSlot;
    const slot = last !== null && last.msg === msg ? last : this.slots.get(msg);
    if (slot === undefined || slot.kind !== kind || slot.cmp !== cmp) return this.otherSlot(msg, kind, cmp, slot);
    if (!slot.touched) this.touch(slot);
    slot.changedAt = this.version;
    this.lastSlot = slot;
    return slot;
  }

  /**
   * `slot` for a message not seen yet, or seen as another kind (`existing`): the rare cases, out of
   * `slot`, which every record runs.
   */
  private otherSlot(
    msg: string,
    kind: AssertionKind,
    cmp: NumericCmp | undefined,
    existing: Slot | undefined,
  ): Slot | null {
    if (existing !== undefined) {
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
    this.touch(slot);
    slot.changedAt = this.version;
    this.created.push(cmp === undefined ? { kind: 'slot', msg, slotKind: kind } : { kind: 'slot', msg, slotKind: kind, cmp });
    return slot;
  }

  private create(c: Creation): void {
    if (c.kind === 'slot') {
      this.slot(c.msg, c.slotKind, c.cmp);
      return;
    }
    const slot = this.slots.get(c.msg);
    if (slot === undefined) return;
    this.touch(slot);
    slot.changedAt = this.version;
    if (c.kind === 'bucket') this.bucketFor(slot, c.key, c.bit);
    else if (slot.conditions !== null && !slot.conditions.has(c.name)) slot.conditions.set(c.name, false);
  }

  /**
   * Whether a timeline's discovery is still one here; records it if so. `firstHits` holds the
   * buckets earlier timelines of the batch hit first (their hits are added after all discoveries).
   */
  private rejudge(d: Discovery, firstHits: Set<Bucket>): boolean {
    const slot = this.slots.get(d.msg);
    if (slot === undefined) return false;
    this.touch(slot);
    switch (d.kind) {
      case 'trigger':
        if (slot.triggered) return false;
        slot.triggered = true;
        return true;
      case 'watermark':
        if (!slot.improvesWatermark(d.value)) return false;
        slot.watermark = d.value;
        return true;
      case 'frontier':
        if (d.value <= slot.frontier) return false;
        slot.frontier = d.value;
        return true;
      case 'bucket': {
        const bucket = slot.each?.buckets.get(d.key);
        if (bucket === undefined) return false;
        slot.each?.touch(bucket);
        const first = d.first && bucket.hits === 0 && !firstHits.has(bucket);
        if (d.first) firstHits.add(bucket);
        const improved = d.quality !== undefined && bucket.improve(d.quality);
        return first || improved;
      }
    }
  }

  /**
   * Adds summed counts; triggers, watermarks, frontiers, conditions and bucket bests take the better.
   * Returns whether more than counts changed (the base did).
   */
  private addCounts(delta: SlotState): boolean {
    const slot = this.slots.get(delta.msg);
    if (slot === undefined || slot.kind !== delta.kind || slot.cmp !== delta.cmp) return false;
    this.touch(slot);
    let changed = false;
    slot.pass += delta.pass;
    slot.fail += delta.fail;
    if (delta.triggered && !slot.triggered) {
      slot.triggered = true;
      changed = true;
    }
    if (delta.watermark !== undefined && slot.improvesWatermark(delta.watermark)) {
      slot.watermark = delta.watermark;
      changed = true;
    }
    if (delta.frontier > slot.frontier) {
      slot.frontier = delta.frontier;
      changed = true;
    }
    for (const [name, seen] of delta.conditions ?? []) {
      if (seen && slot.conditions?.get(name) === false) {
        slot.conditions.set(name, true);
        changed = true;
      }
    }
    const site = slot.each;
    if (site === null) return changed;
    // Buckets were created (or dropped) by the timelines' news; a dropped one stays dropped.
    for (const b of delta.buckets ?? []) {
      const bucket = site.buckets.get(b.key);
      if (bucket === undefined) continue;
      site.touch(bucket);
      if (bucket.hits === 0 && b.hits > 0) changed = true;
      bucket.hits += b.hits;
      if (bucket.improveFrom(b)) changed = true;
    }
    return changed;
  }

  /** The bucket `key` of an each-site, created if there is room (else dropped with a warning). */
  private bucketFor(slot: Slot, key: string, bit: number | undefined): Bucket | null {
    const site = slot.each;
    if (site === null) return null;
    const existing = site.buckets.get(key);
    if (existing !== undefined) return existing;
    if (site.full || site.buckets.size >= MAX_EACH_BUCKETS) {
      this.dropBucket(slot.msg, site);
      return null;
    }
    const bucket = site.add(key, null, bit);
    site.touch(bucket);
    return bucket;
  }

  private stamp(msg: string): void {
    const slot = this.slots.get(msg);
    if (slot !== undefined) slot.changedAt = this.version;
  }

  private touch(slot: Slot): void {
    if (slot.touched) return;
    slot.touched = true;
    this.touched.push(slot);
  }

  /** Clears the touched marks: a load, restore or reset follows, which may replace or drop slots. */
  private untouch(): void {
    this.lastSlot = null;
    for (const slot of this.touched) {
      slot.touched = false;
      slot.each?.forgetTouched();
    }
    if (this.touched.length > 0) this.touched.length = 0;
  }

  private dropBucket(msg: string, site: EachSite): void {
    if (!site.full) this.warn(`"${msg}": more than ${MAX_EACH_BUCKETS} buckets; extra buckets dropped`);
    site.full = true;
  }

  private trigger(slot: Slot): void {
    slot.triggered = true;
    this.discover(slot.bit, { kind: 'trigger', msg: slot.msg });
  }

  private discover(bit: number, discovery: Discovery): void {
    this.bitmap.set(bit);
    this.discoveries.push(discovery);
    this.onDiscovery?.(discovery.msg, discovery.kind === 'bucket' ? discovery.key : undefined);
  }
}

function bucketDiscovery(msg: string, key: string, first: boolean, quality: BucketQuality | undefined): Discovery {
  // The quality object is the caller's: copy it (it is rare: only on discoveries).
  return quality === undefined ? { kind: 'bucket', msg, key, first } : { kind: 'bucket', msg, key, first, quality: { ...quality } };
}
