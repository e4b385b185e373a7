import { FanOutError, type FanOutFailure } from './fan-out-error.js';
import { FanOutRun, prepare } from './fan-out-run.js';
import type { FanOutOptions, FanOutTarget } from './fan-out-target.js';

/**
 * Sends `request` to every target; resolves with the first reply that comes (the other calls are
 * given up). If every call fails, rejects with `FanOutError` `AllFailed` carrying every failure, in
 * the targets' order. No targets: `FanOutError` `EmptyInput` (a race of none has no winner, and
 * "all failed" would hide the mistake).
 */
export function fanOutRace<Req, Res>(
  targets: readonly FanOutTarget<Req, Res>[],
  request: NoInfer<Req>,
  options: FanOutOptions = {},
): Promise<Res> {
  const delivery = prepare<Req, Res>(options);
  if (delivery instanceof Error) return Promise.reject(delivery);
  if (targets.length === 0) return Promise.reject(new FanOutError('EmptyInput', 'fanOutRace was given no targets'));
  return new RaceRun<Req, Res>(targets.length).run(targets, request, options, delivery);
}

class RaceRun<Req, Res> extends FanOutRun<Req, Res, Res> {
  private readonly failures: FanOutFailure[] = [];

  constructor(private readonly count: number) {
    super();
  }

  protected succeeded(_index: number, value: Res): void {
    this.finish(value);
  }

  protected failed(index: number, error: unknown): void {
    this.failures.push({ index, error });
    if (this.failures.length === this.count) {
      this.fail(new FanOutError('AllFailed', `all ${this.count} calls failed`, this.failures));
    }
  }
}
