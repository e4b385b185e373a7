import type { AssertionRecorder, BucketKeys, BucketQuality, IntValue, NumericCmp } from '@moonpool/core';
import { numericHolds } from '@moonpool/explorer';

/** Told of every assertion evaluation: kind, message, whether it held, and kind-specific details. */
export type AssertionMark = (
  kind: string,
  msg: string,
  ok: boolean,
  details: Readonly<Record<string, unknown>> | null,
) => void;

/**
 * An assertion recorder that records every evaluation as usual, then tells a tracer of it. It is
 * never suppressed itself, so a replayed recipe's prefix is marked too; the recorder inside skips
 * what it must (its own `suppressed`), so the results are exactly those of an untraced run.
 */
export class TracingRecorder implements AssertionRecorder {
  readonly suppressed = false;

  constructor(
    private readonly inner: AssertionRecorder,
    private readonly mark: AssertionMark,
  ) {}

  recordBool(kind: 'Always' | 'AlwaysOrUnreachable' | 'Sometimes', cond: boolean, msg: string): void {
    this.inner.recordBool(kind, cond, msg);
    this.mark(kind, msg, cond, null);
  }

  recordNumeric(
    kind: 'NumericAlways' | 'NumericSometimes',
    cmp: NumericCmp,
    value: IntValue,
    threshold: IntValue,
    msg: string,
  ): void {
    this.inner.recordNumeric(kind, cmp, value, threshold, msg);
    this.mark(kind, msg, numericHolds(cmp, value, threshold), { cmp, value, threshold });
  }

  recordReachable(msg: string): void {
    this.inner.recordReachable(msg);
    this.mark('Reachable', msg, true, null);
  }

  recordUnreachable(msg: string): void {
    this.inner.recordUnreachable(msg);
    this.mark('Unreachable', msg, false, null);
  }

  recordSometimesAll(msg: string, conditions: Readonly<Record<string, boolean>>): void {
    this.inner.recordSometimesAll(msg, conditions);
    this.mark('BooleanSometimesAll', msg, Object.values(conditions).every(Boolean), { conditions });
  }

  recordEach(msg: string, keys: BucketKeys, quality?: BucketQuality): void {
    this.inner.recordEach(msg, keys, quality);
    this.mark('EachBucket', msg, true, quality === undefined ? { keys } : { keys, quality });
  }

  warn(message: string): void {
    this.inner.warn(message);
  }
}
