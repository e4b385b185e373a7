import { coverageBit } from './coverage-bitmap.js';
import { EachSite } from './each-site.js';
import type { AssertionKind, AssertionResult, AssertionStatus, IntValue, NumericCmp } from './types.js';

/** One tracked assertion (identity: its message). One class keeps every slot the same shape for V8. */
export class Slot {
  pass = 0;
  fail = 0;
  /** The first-time split (Sometimes true, Reachable reached) happened; multi-seed resets it. */
  triggered = false;
  watermark: IntValue | undefined = undefined;
  frontier = 0;
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

  status(): AssertionStatus {
    switch (this.kind) {
      case 'Always':
      case 'AlwaysOrUnreachable':
      case 'NumericAlways':
      case 'Unreachable':
        return this.fail > 0 ? 'fail' : 'pass';
      default:
        return this.pass > 0 ? 'pass' : 'uncovered';
    }
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
