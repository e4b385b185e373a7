import { FanOutError } from './fan-out-error.js';
import { FanOutRun, prepare } from './fan-out-run.js';
import type { FanOutOptions, FanOutTarget } from './fan-out-target.js';

/**
 * Sends `request` to every target; resolves with every reply, in the targets' order, once all have
 * succeeded. The first failure rejects with `FanOutError` `CallFailed` (carrying that failure) and
 * gives the other calls up. No targets: resolves with `[]` (each of none succeeded).
 */
export function fanOutAll<Req, Res>(
  targets: readonly FanOutTarget<Req, Res>[],
  request: NoInfer<Req>,
  options: FanOutOptions = {},
): Promise<Res[]> {
  const delivery = prepare<Req, Res>(options);
  if (delivery instanceof Error) return Promise.reject(delivery);
  if (targets.length === 0) return Promise.resolve([]);
  return new AllRun<Req, Res>(targets.length).run(targets, request, options, delivery);
}

class AllRun<Req, Res> extends FanOutRun<Req, Res, Res[]> {
  private readonly replies: Res[];
  private left: number;

  constructor(count: number) {
    super();
    // Filled by index as replies come, in whatever order they come.
    this.replies = new Array<Res>(count);
    this.left = count;
  }

  protected succeeded(index: number, value: Res): void {
    this.replies[index] = value;
    if (--this.left === 0) this.finish(this.replies);
  }

  protected failed(index: number, error: unknown): void {
    const count = this.replies.length;
    this.fail(new FanOutError('CallFailed', `call ${index} of ${count} failed, so not all succeeded`, [{ index, error }]));
  }
}
