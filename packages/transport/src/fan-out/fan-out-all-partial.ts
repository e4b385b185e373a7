import { FanOutError } from './fan-out-error.js';
import { FanOutRun, prepare } from './fan-out-run.js';
import type { FanOutOptions, FanOutTarget } from './fan-out-target.js';

/**
 * Sends `request` to every target; once every call has settled, resolves with each one's outcome in
 * the targets' order, as `Promise.allSettled` does (`{ status: 'fulfilled', value }` or
 * `{ status: 'rejected', reason }`): the caller decides what is enough. Rejects only for no targets
 * (`FanOutError` `EmptyInput`), and when the caller's signal aborts.
 */
export function fanOutAllPartial<Req, Res>(
  targets: readonly FanOutTarget<Req, Res>[],
  request: NoInfer<Req>,
  options: FanOutOptions = {},
): Promise<PromiseSettledResult<Res>[]> {
  const delivery = prepare<Req, Res>(options);
  if (delivery instanceof Error) return Promise.reject(delivery);
  if (targets.length === 0) return Promise.reject(new FanOutError('EmptyInput', 'fanOutAllPartial was given no targets'));
  return new AllPartialRun<Req, Res>(targets.length).run(targets, request, options, delivery);
}

class AllPartialRun<Req, Res> extends FanOutRun<Req, Res, PromiseSettledResult<Res>[]> {
  private readonly results: PromiseSettledResult<Res>[];
  private left: number;

  constructor(count: number) {
    super();
    this.results = new Array<PromiseSettledResult<Res>>(count);
    this.left = count;
  }

  protected succeeded(index: number, value: Res): void {
    this.results[index] = { status: 'fulfilled', value };
    if (--this.left === 0) this.finish(this.results);
  }

  protected failed(index: number, reason: unknown): void {
    this.results[index] = { status: 'rejected', reason };
    if (--this.left === 0) this.finish(this.results);
  }
}
