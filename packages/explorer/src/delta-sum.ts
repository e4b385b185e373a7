import type { Slot } from './slot.js';
import type { BucketState, SlotState, StoreDelta } from './store-state.js';
import type { IntValue } from './types.js';

type BucketSum = { -readonly [K in keyof BucketState]: BucketState[K] };
type SlotSum = { -readonly [K in keyof SlotState]: SlotState[K] } & {
  conditionSum: Map<string, boolean>;
  bucketSum: Map<string, BucketSum>;
};

/**
 * Adds up the deltas of several timelines: counts and hits sum, triggers and seen conditions OR,
 * watermarks, frontiers and bucket qualities take the best. Every part is order-free, so the sum is
 * the same whichever thread ran which timeline.
 */
export class DeltaSum {
  private slots = new Map<string, SlotSum>();

  add(delta: StoreDelta): void {
    for (const s of delta.slots) {
      const sum = this.slots.get(s.msg);
      if (sum === undefined) this.slots.set(s.msg, start(s));
      else if (sum.kind === s.kind && sum.cmp === s.cmp) addTo(sum, s);
    }
  }

  /**
   * Adds what `slot` changed since its store was loaded: the same as adding its `toDelta()`, without
   * building it (this runs for every slot every timeline reaches).
   */
  addSlot(slot: Slot): void {
    const sum = this.slots.get(slot.msg);
    if (sum === undefined) {
      const delta = slot.toDelta();
      if (delta !== null) this.slots.set(slot.msg, start(delta));
      return;
    }
    if (sum.kind !== slot.kind || sum.cmp !== slot.cmp) return;
    const pass = slot.passSinceLoad;
    const fail = slot.failSinceLoad;
    if (pass + fail === 0) return;
    sum.pass += pass;
    sum.fail += fail;
    sum.triggered ||= slot.triggered;
    const watermark = slot.watermark;
    if (watermark !== undefined && (sum.watermark === undefined || better(sum.cmp, watermark, sum.watermark))) {
      sum.watermark = watermark;
    }
    sum.frontier = Math.max(sum.frontier, slot.frontier);
    if (slot.conditions !== null) {
      const seenSum = sum.conditionSum;
      for (const [name, seen] of slot.conditions) seenSum.set(name, seen || seenSum.get(name) === true);
    }
    const site = slot.each;
    if (site === null) return;
    if (site.full) sum.full = true;
    for (const b of site.touched) {
      const hits = b.hits - b.loadedHits;
      if (hits === 0) continue;
      const known = sum.bucketSum.get(b.key);
      if (known === undefined) sum.bucketSum.set(b.key, b.toState(hits));
      else addBucket(known, hits, b.quality, b.qualityNames);
    }
  }

  /** The sum so far; starts a new one. */
  take(): StoreDelta {
    const slots = [...this.slots.values()].map(stateOf);
    this.slots = new Map();
    return { slots };
  }
}

function start(s: SlotState): SlotSum {
  // Field by field: a spread copy that then gets new properties is many times slower to make and to use.
  const sum: SlotSum = {
    msg: s.msg,
    kind: s.kind,
    pass: s.pass,
    fail: s.fail,
    triggered: s.triggered,
    frontier: s.frontier,
    conditionSum: new Map(s.conditions),
    bucketSum: new Map(),
  };
  if (s.cmp !== undefined) sum.cmp = s.cmp;
  if (s.watermark !== undefined) sum.watermark = s.watermark;
  if (s.full !== undefined) sum.full = s.full;
  // Placeholders: `take` fills them from the two maps.
  if (s.conditions !== undefined) sum.conditions = [];
  if (s.buckets !== undefined) {
    sum.buckets = [];
    for (const b of s.buckets) sum.bucketSum.set(b.key, { ...b });
  }
  return sum;
}

/** A sum as a slot's state: its maps become the lists they stand for. */
function stateOf(sum: SlotSum): SlotState {
  const s: { -readonly [K in keyof SlotState]: SlotState[K] } = {
    msg: sum.msg,
    kind: sum.kind,
    pass: sum.pass,
    fail: sum.fail,
    triggered: sum.triggered,
    frontier: sum.frontier,
  };
  if (sum.cmp !== undefined) s.cmp = sum.cmp;
  if (sum.watermark !== undefined) s.watermark = sum.watermark;
  if (sum.conditions !== undefined) s.conditions = [...sum.conditionSum];
  if (sum.buckets !== undefined) s.buckets = [...sum.bucketSum.values()];
  if (sum.full !== undefined) s.full = sum.full;
  return s;
}

function addTo(sum: SlotSum, s: SlotState): void {
  sum.pass += s.pass;
  sum.fail += s.fail;
  sum.triggered ||= s.triggered;
  if (s.watermark !== undefined && (sum.watermark === undefined || better(sum.cmp, s.watermark, sum.watermark))) {
    sum.watermark = s.watermark;
  }
  sum.frontier = Math.max(sum.frontier, s.frontier);
  if (s.full === true) sum.full = true;
  for (const [name, seen] of s.conditions ?? []) {
    sum.conditionSum.set(name, seen || sum.conditionSum.get(name) === true);
  }
  for (const b of s.buckets ?? []) {
    const known = sum.bucketSum.get(b.key);
    if (known === undefined) sum.bucketSum.set(b.key, { ...b });
    else addBucket(known, b.hits, b.quality, b.qualityNames);
  }
}

/** Adds a bucket's own hits to its sum; its quality takes the better. */
function addBucket(
  known: BucketSum,
  hits: number,
  quality: readonly number[] | null,
  qualityNames: readonly string[],
): void {
  known.hits += hits;
  if (quality !== null && (known.quality === null || lexicographicallyAbove(quality, known.quality))) {
    known.quality = quality;
    known.qualityNames = qualityNames;
  }
}

function better(cmp: SlotState['cmp'], a: IntValue, b: IntValue): boolean {
  return cmp === 'gt' || cmp === 'ge' ? a > b : a < b;
}

function lexicographicallyAbove(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] ?? Number.NEGATIVE_INFINITY;
    if (x !== y) return x > y;
  }
  return false;
}
