import type { BucketState, SlotState, StoreDelta } from './store-state.js';
import type { IntValue } from './types.js';

type SlotSum = { -readonly [K in keyof SlotState]: SlotState[K] } & {
  conditionSum: Map<string, boolean>;
  bucketSum: Map<string, { -readonly [K in keyof BucketState]: BucketState[K] }>;
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

  /** The sum so far; starts a new one. */
  take(): StoreDelta {
    const slots = [...this.slots.values()].map(({ conditionSum, bucketSum, ...slot }): SlotState => {
      if (slot.conditions !== undefined) slot.conditions = [...conditionSum];
      if (slot.buckets !== undefined) slot.buckets = [...bucketSum.values()];
      return slot;
    });
    this.slots = new Map();
    return { slots };
  }
}

function start(s: SlotState): SlotSum {
  const { conditions, buckets, ...rest } = s;
  const sum: SlotSum = { ...rest, conditionSum: new Map(conditions), bucketSum: new Map() };
  if (conditions !== undefined) sum.conditions = [];
  if (buckets !== undefined) {
    sum.buckets = [];
    for (const b of buckets) sum.bucketSum.set(b.key, { ...b });
  }
  return sum;
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
    if (known === undefined) {
      sum.bucketSum.set(b.key, { ...b });
      continue;
    }
    known.hits += b.hits;
    if (b.quality !== null && (known.quality === null || lexicographicallyAbove(b.quality, known.quality))) {
      known.quality = b.quality;
      known.qualityNames = b.qualityNames;
    }
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
