import { abortError } from '@moonpool/core';
import { REQUEST_GROUP, RequestGroup } from '../rpc/request-group.js';
import { type RequestOptions, ServiceEndpoint } from '../rpc/service-endpoint.js';
import { MethodClient } from '../service/service-client.js';
import { type Delivery, deliveryOf, type FanOutOptions, type FanOutTarget } from './fan-out-target.js';

/**
 * Why a call that its finished fan-out no longer needs is given up. Nobody sees it (the fan-out
 * ignores the outcomes of calls it gave up), so one error serves them all.
 */
const NOT_NEEDED: Error = Object.assign(new Error('the fan-out finished without this call'), { name: 'AbortError' });

/**
 * One fan-out in progress: its calls, started together, report to `succeeded`/`failed` of the mode
 * (all, quorum, race, all-partial), which decides when it is over. No task is spawned: the calls'
 * promises drive it. When it is over, the calls still out are given up at once, so that their reply
 * endpoints and kept requests are removed before the caller sees the result: the calls to the
 * package's own `ServiceEndpoint`s and `MethodClient`s through one `RequestGroup` per fan-out, the
 * calls to other targets through one `AbortController` per fan-out, made only if there are any.
 */
export abstract class FanOutRun<Req, Res, Out> {
  private resolveRun!: (out: Out) => void;
  private rejectRun!: (error: unknown) => void;
  /** The outcome is decided: later outcomes of calls are ignored. */
  private over = false;
  /** Calls started whose outcome has not arrived. */
  private out = 0;
  private readonly group = new RequestGroup();
  private controller: AbortController | null = null;
  private callerSignal: AbortSignal | undefined = undefined;
  private readonly onCallerAbort = (): void => {
    if (this.callerSignal !== undefined) this.fail(abortError(this.callerSignal));
  };

  /** Starts one call per target and returns the fan-out's result. */
  run(
    targets: readonly FanOutTarget<Req, Res>[],
    request: Req,
    options: RequestOptions,
    delivery: Delivery<Req, Res>,
  ): Promise<Out> {
    const promise = new Promise<Out>((resolve, reject) => {
      this.resolveRun = resolve;
      this.rejectRun = reject;
    });
    const signal = options.signal;
    if (signal !== undefined) {
      // One listener for the whole fan-out: the caller's abort rejects it and gives its calls up.
      this.callerSignal = signal;
      signal.addEventListener('abort', this.onCallerAbort, { once: true });
    }
    // One options object for all the calls of each kind.
    const { timeoutMs } = options;
    const inGroup: RequestOptions = { timeoutMs, [REQUEST_GROUP]: this.group };
    let withSignal: RequestOptions | null = null;
    this.out = targets.length;
    for (let index = 0; index < targets.length; index++) {
      const target = targets[index] as FanOutTarget<Req, Res>;
      let callOptions = inGroup;
      if (!(target instanceof ServiceEndpoint || target instanceof MethodClient)) {
        // A target of the user's own: it is given up the standard way, through a signal.
        this.controller ??= new AbortController();
        callOptions = withSignal ??= { timeoutMs, signal: this.controller.signal };
      }
      let call: Promise<Res>;
      try {
        call = delivery(target, request, callOptions);
      } catch (err) {
        // A target that throws instead of rejecting: that call failed.
        call = Promise.reject(err);
      }
      call.then(
        (value) => this.callSucceeded(index, value),
        (error: unknown) => this.callFailed(index, error),
      );
    }
    return promise;
  }

  /** A call's reply arrived (before the fan-out was over). */
  protected abstract succeeded(index: number, value: Res): void;

  /** A call failed (before the fan-out was over). */
  protected abstract failed(index: number, error: unknown): void;

  /** Ends the fan-out with its result. */
  protected finish(result: Out): void {
    if (this.end()) this.resolveRun(result);
  }

  /** Ends the fan-out with an error. */
  protected fail(error: unknown): void {
    if (this.end()) this.rejectRun(error);
  }

  private callSucceeded(index: number, value: Res): void {
    this.out--;
    if (!this.over) this.succeeded(index, value);
  }

  private callFailed(index: number, error: unknown): void {
    this.out--;
    if (!this.over) this.failed(index, error);
  }

  /** Marks the fan-out over and gives up the calls still out; false if it was over already. */
  private end(): boolean {
    if (this.over) return false;
    this.over = true;
    this.callerSignal?.removeEventListener('abort', this.onCallerAbort);
    if (this.out > 0) {
      // Synchronous: each call's pending request removes its reply endpoint right here.
      this.group.cancel(NOT_NEEDED);
      this.controller?.abort(NOT_NEEDED);
    }
    return true;
  }
}

/**
 * What every fan-out checks before it starts a call: its options (a mistake rejects the fan-out, not
 * each call), then the caller's signal: a caller that has already given up gets its abort reason,
 * whatever the input, as a request with an aborted signal is never sent.
 */
export function prepare<Req, Res>(options: FanOutOptions): Delivery<Req, Res> | Error {
  const delivery = deliveryOf<Req, Res>(options);
  if (delivery instanceof Error) return delivery;
  return options.signal?.aborted === true ? abortError(options.signal) : delivery;
}
