import { FanOutError, type FanOutFailure } from './fan-out-error.js';
import { FanOutRun, prepare } from './fan-out-run.js';
import type { FanOutOptions, FanOutTarget } from './fan-out-target.js';

/**
 * Sends `request` to every target; resolves with the first `required` replies, in the order they
 * came, as soon as there are that many (the other calls are given up). Rejects with `FanOutError`
 * `QuorumNotMet` (carrying every failure so far) as soon as so many calls failed that `required`
 * successes can no longer be reached. Any failure counts, `MaybeDelivered` and `BrokenPromise`
 * included: a request that may or may not have been processed is no acknowledgement.
 * `required` 0 resolves with `[]` at once, sending nothing; more than there are targets (or not a
 * whole number) is a `RangeError`.
 */
export function fanOutQuorum<Req, Res>(
  targets: readonly FanOutTarget<Req, Res>[],
  request: NoInfer<Req>,
  required: number,
  options: FanOutOptions = {},
): Promise<Res[]> {
  if (!Number.isSafeInteger(required) || required < 0 || required > targets.length) {
    return Promise.reject(
      new RangeError(`fanOutQuorum: required must be a whole number from 0 to ${targets.length} (the targets), got ${required}`),
    );
  }
  const delivery = prepare<Req, Res>(options);
  if (delivery instanceof Error) return Promise.reject(delivery);
  if (required === 0) return Promise.resolve([]);
  return new QuorumRun<Req, Res>(targets.length, required).run(targets, request, options, delivery);
}

class QuorumRun<Req, Res> extends FanOutRun<Req, Res, Res[]> {
  private readonly replies: Res[] = [];
  private readonly failures: FanOutFailure[] = [];

  constructor(
    private readonly count: number,
    private readonly required: number,
  ) {
    super();
  }

  protected succeeded(_index: number, value: Res): void {
    this.replies.push(value);
    if (this.replies.length === this.required) this.finish(this.replies);
  }

  protected failed(index: number, error: unknown): void {
    this.failures.push({ index, error });
    // Decided as soon as the calls that may still succeed are too few, not when all have answered.
    const canStillSucceed = this.count - this.failures.length;
    if (canStillSucceed < this.required) {
      const { count, required, replies, failures } = this;
      this.fail(
        new FanOutError(
          'QuorumNotMet',
          `${required} of ${count} calls had to succeed; ${failures.length} failed, ${replies.length} succeeded`,
          failures,
        ),
      );
    }
  }
}
