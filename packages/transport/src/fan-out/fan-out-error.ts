import { describeError } from '@moonpool/core';

/** How a fan-out failed. */
export type FanOutErrorKind =
  /** `fanOutAll`: a call failed, so not every peer succeeded (the others were given up). */
  | 'CallFailed'
  /** `fanOutQuorum`: so many calls failed that the required number of successes can no longer be reached. */
  | 'QuorumNotMet'
  /** `fanOutRace`: every call failed. */
  | 'AllFailed'
  /** `fanOutRace` or `fanOutAllPartial` was given no targets: nothing can succeed or be reported. */
  | 'EmptyInput';

/** One call's failure: its target's position in the fan-out's input, and what the call rejected with. */
export interface FanOutFailure {
  /** The failed call's target's position in the fan-out's input, from 0. */
  readonly index: number;
  /** What the call rejected with (a `ReplyError`, usually). */
  readonly error: unknown;
}

/** The failure of a fan-out (see `FanOutErrorKind`), with the failures of the calls that caused it. */
export class FanOutError extends Error {
  /** Always `'FanOutError'`. */
  override readonly name = 'FanOutError';
  /** The calls that failed before the fan-out gave up, in input order (by `index`). */
  readonly errors: readonly FanOutFailure[];

  constructor(
    /** How the fan-out failed; the message starts with it too. */
    readonly kind: FanOutErrorKind,
    message: string,
    errors: readonly FanOutFailure[] = [],
  ) {
    const sorted = [...errors].sort((a, b) => a.index - b.index);
    // The first failure as `cause`: what a stack trace or a logger shows first.
    super(`${kind}: ${message}${describeFailures(sorted)}`, sorted.length > 0 ? { cause: sorted[0]?.error } : {});
    this.errors = Object.freeze(sorted);
  }
}

/** How many failures a message lists; `errors` holds them all. */
const LISTED = 3;

function describeFailures(errors: readonly FanOutFailure[]): string {
  if (errors.length === 0) return '';
  const listed = errors.slice(0, LISTED).map((f) => `[${f.index}] ${describeError(f.error, { stack: false })}`);
  const more = errors.length > LISTED ? `; and ${errors.length - LISTED} more` : '';
  return `: ${listed.join('; ')}${more}`;
}
