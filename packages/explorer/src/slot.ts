import { ASSERTION_KINDS } from './assertion-kinds.js';
import { coverageBit } from './coverage-bitmap.js';
import { EachSite } from './each-site.js';
import type { BucketState, SlotState } from './store-state.js';
import type { AssertionKind, AssertionResult, AssertionStatus, IntValue, NumericCmp } from './types.js';

/** One tracked assertion (identity: its message). One class keeps every slot the same shape for V8. */
export class Slot {
  pass = 0;
  fail = 0;
  /** The first-time split (Sometimes true, Reachable reached) happened; multi-seed resets it. */
  triggered = false;
  watermark: IntValue | undefined = undefined;
  frontier = 0;
  /** Counts when its store was loaded: a timeline's own counts are the difference. */
  private loadedPass = 0;
  private loadedFail = 0;
  /** The rest of the loaded state, for `restore`. */
  private loadedTriggered = false;
  private loadedWatermark: IntValue | undefined = undefined;
  private loadedFrontier = 0;
  private loadedConditions: readonly (readonly [string, boolean])[] = [];
  /** Part of the loaded state (else made since the load: `restoreLoaded` drops it). */
  inBase = false;
  /** Reached since the load (it is in its store's list of touched slots). */
  touched = false;
  /** Its store's base version when its base last changed (see `exportBaseSince`). */
  changedAt = 0;
  readonly conditions: Map<string, boolean> | null;
  readonly each: EachSite | null;
  /** Its coverage-bitmap bit, hashed once. */
  readonly bit: number;

  constructor(
    readonly msg: string,
    readonly kind: AssertionKind,
    readonly cmp: NumericCmp | undefined,
  ) {
    this.conditions = kind === 'BooleanSometimesAll' ? new Map() : null;
    this.each = kind === 'EachBucket' ? new EachSite(msg) : null;
    this.bit = coverageBit(msg);
  }

  /** Forgets counts and split triggers; keeps watermark, frontier and buckets with their bests. */
  prepareNextSeed(): void {
    this.pass = 0;
    this.fail = 0;
    this.triggered = false;
    if (this.each !== null) for (const b of this.each.buckets.values()) b.hits = 0;
  }

  toState(): SlotState {
    return this.snapshot('full');
  }

  /** What decides discoveries, without counts (a bucket's hits only as 0 or 1: hit or not). */
  toBase(): SlotState {
    return this.snapshot('base');
  }

  /** Its count increases since the load. */
  get passSinceLoad(): number {
    return this.pass - this.loadedPass;
  }

  get failSinceLoad(): number {
    return this.fail - this.loadedFail;
  }

  /** What changed since the load: count increases, buckets hit; null if it was not reached. */
  toDelta(): SlotState | null {
    if (this.pass + this.fail === this.loadedPass + this.loadedFail) return null;
    return this.snapshot('delta');
  }

  /** Takes the counts, triggers, watermark, frontier, conditions and buckets of `state`. */
  load(state: SlotState): void {
    this.pass = this.loadedPass = state.pass;
    this.fail = this.loadedFail = state.fail;
    this.triggered = this.loadedTriggered = state.triggered;
    this.watermark = this.loadedWatermark = state.watermark;
    this.frontier = this.loadedFrontier = state.frontier;
    this.inBase = true;
    this.touched = false;
    if (this.conditions !== null) {
      this.loadedConditions = state.conditions ?? [];
      this.loadConditions();
    }
    if (this.each !== null) {
      this.each.clear();
      this.each.full = this.each.loadedFull = state.full === true;
      for (const b of state.buckets ?? []) this.each.add(b.key, null, b.bit).load(b);
    }
  }

  /** Back to the state of the last `load` (only a touched slot can differ from it). */
  restore(): void {
    this.pass = this.loadedPass;
    this.fail = this.loadedFail;
    this.triggered = this.loadedTriggered;
    this.watermark = this.loadedWatermark;
    this.frontier = this.loadedFrontier;
    if (this.conditions !== null) this.loadConditions();
    this.each?.restore();
  }

  private loadConditions(): void {
    const conditions = this.conditions as Map<string, boolean>;
    conditions.clear();
    for (const [name, seen] of this.loadedConditions) conditions.set(name, seen);
  }

  /** The whole state; or without counts; or (`delta`) the counts since the load and the buckets hit since. */
  private snapshot(part: 'full' | 'base' | 'delta'): SlotState {
    const delta = part === 'delta';
    const s: { -readonly [K in keyof SlotState]: SlotState[K] } = {
      msg: this.msg,
      kind: this.kind,
      pass: part === 'full' ? this.pass : delta ? this.pass - this.loadedPass : 0,
      fail: part === 'full' ? this.fail : delta ? this.fail - this.loadedFail : 0,
      triggered: this.triggered,
      frontier: this.frontier,
    };
    if (this.cmp !== undefined) s.cmp = this.cmp;
    if (this.watermark !== undefined) s.watermark = this.watermark;
    if (this.conditions !== null) s.conditions = [...this.conditions];
    if (this.each !== null) {
      const buckets: BucketState[] = [];
      // A delta visits the buckets touched since the load: the others did not change.
      if (delta) {
        for (const b of this.each.touched) if (b.hits !== b.loadedHits) buckets.push(b.toState(b.hits - b.loadedHits));
      } else {
        for (const b of this.each.buckets.values()) buckets.push(b.toState(part === 'full' ? b.hits : Math.min(b.hits, 1)));
      }
      s.buckets = buckets;
      if (this.each.full) s.full = true;
    }
    return s;
  }

  /** Whether `value` beats the watermark (max for gt/ge, min for lt/le); NaN never does. */
  improvesWatermark(value: IntValue): boolean {
    if (typeof value === 'number' && Number.isNaN(value)) return false;
    const wm = this.watermark;
    return wm === undefined || (this.cmp === 'gt' || this.cmp === 'ge' ? value > wm : value < wm);
  }

  status(): AssertionStatus {
    return ASSERTION_KINDS[this.kind].status(this.pass, this.fail);
  }

  toResult(): AssertionResult {
    const r: AssertionResult = {
      msg: this.msg,
      kind: this.kind,
      passCount: this.pass,
      failCount: this.fail,
      status: this.status(),
    };
    if (this.cmp !== undefined) r.cmp = this.cmp;
    if (this.watermark !== undefined) r.watermark = this.watermark;
    if (this.conditions !== null) {
      r.frontier = this.frontier;
      r.conditions = [...this.conditions].map(([name, seenTrue]) => ({ name, seenTrue }));
    }
    if (this.each !== null) r.buckets = [...this.each.buckets.values()].map((b) => b.summary());
    return r;
  }
}
