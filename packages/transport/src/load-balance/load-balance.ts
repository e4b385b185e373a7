import { abortError } from '@moonpool/core';
import type { RequestOptions } from '../rpc/service-endpoint.js';
import type { NetTransport } from '../transport/net-transport.js';
import { Alternatives, type LoadBalanceTarget } from './alternatives.js';
import type { AtMostOnce } from './at-most-once.js';
import { chooseAlternative } from './choose-alternative.js';
import { checkedConfig, LoadBalanceConfig } from './load-balance-config.js';
import { LoadBalanceError } from './load-balance-error.js';
import { ModelHolder } from './model-holder.js';
import { QueueModel } from './queue-model.js';
import { isRetryable } from './retryable.js';
import { markTried, triedBeyond32 } from './tried.js';

/** Per call: each attempt's `timeoutMs` and the caller's `signal`, as for the delivery modes. */
export interface LoadBalanceOptions extends RequestOptions {
  /**
   * With `AtMostOnce.False`: make each attempt a `getReplyUnlessFailedFor(request, ms)` instead of a
   * `getReply`, so that an alternative whose address has been failed for `ms` is given up
   * (`MaybeDelivered`) and the next one tried, rather than waited for until `timeoutMs`.
   */
  readonly unlessFailedForMs?: number;
}

const DEFAULT_CONFIG = LoadBalanceConfig.default();
const NO_OPTIONS: LoadBalanceOptions = Object.freeze({});

/**
 * Sends `request` to one of `alternatives` and resolves with its reply (FoundationDB's loadBalance,
 * SPEC §6.7). Alternatives are tried best first (see `chooseAlternative`: available before known
 * failed, closest tier first, fewest smoothed requests out in `model`), each at most once per cycle.
 * A failure that another alternative may fix moves on to the next (see `isRetryable`: with
 * `AtMostOnce.True` only failures after which the request surely did not run); any other is
 * returned at once. After a cycle without success it sleeps (`config`: 50 ms, doubling, at most
 * 1 s, on the transport's clock) and starts again, at most `config.maxFullCycles` cycles (2), then
 * rejects with the last error.
 *
 * Every attempt is recorded in `model` (null: no model, the alternatives of a tier are then equals)
 * for as long as it is out, whatever way it ends. With `AtMostOnce.True` an alternative known failed
 * is skipped (nothing would be sent); when nothing was sent in any cycle the call rejects with
 * `LoadBalanceError` `AllAlternativesFailed`. No alternatives: `LoadBalanceError` `NoAlternatives`.
 */
export function loadBalance<Req, Res>(
  transport: NetTransport,
  alternatives: Alternatives<Req, Res>,
  request: NoInfer<Req>,
  atMostOnce: AtMostOnce,
  model: QueueModel | null,
  config: LoadBalanceConfig = DEFAULT_CONFIG,
  options: LoadBalanceOptions = NO_OPTIONS,
): Promise<Res> {
  let checked: LoadBalanceConfig;
  try {
    checked = checkedConfig(config);
  } catch (err) {
    return Promise.reject(err);
  }
  const refused = checkArguments(transport, alternatives, atMostOnce, model, options);
  if (refused !== null) return Promise.reject(refused);
  return run(transport, alternatives, request, atMostOnce, model, checked, options);
}

async function run<Req, Res>(
  transport: NetTransport,
  alternatives: Alternatives<Req, Res>,
  request: Req,
  atMostOnce: boolean,
  model: QueueModel | null,
  config: LoadBalanceConfig,
  options: LoadBalanceOptions,
): Promise<Res> {
  const { failureMonitor: monitor, providers } = transport;
  const { time, random } = providers;
  const failedForMs = options.unlessFailedForMs;
  let triedLow = 0;
  const triedBeyond = triedBeyond32(alternatives.size);
  let lastError: unknown = undefined;
  let sentAny = false;
  let backoffMs = config.initialBackoffMs;
  for (let cycle = 1; ; cycle++) {
    for (;;) {
      const i = chooseAlternative(alternatives, triedLow, triedBeyond, model, monitor, random);
      if (i < 0) break;
      triedLow = markTried(i, triedLow, triedBeyond);
      // Chosen although known failed: so is every alternative left. tryGetReply would not send.
      if (atMostOnce && alternatives.isKnownFailed(i, monitor)) break;
      sentAny = true;
      const target: LoadBalanceTarget<Req, Res> = alternatives.targetAt(i);
      const holder = model === null ? null : new ModelHolder(model, alternatives.endpointAt(i));
      try {
        const reply = await (atMostOnce
          ? target.tryGetReply(request, options)
          : failedForMs === undefined
            ? target.getReply(request, options)
            : target.getReplyUnlessFailedFor(request, failedForMs, options));
        holder?.complete();
        return reply;
      } catch (error) {
        if (options.signal?.aborted === true || !isRetryable(error, atMostOnce)) throw error;
        lastError = error;
      } finally {
        // Every exit: a reply (already completed), an error kept or thrown, the caller's abort.
        holder?.release();
      }
    }
    if (cycle >= config.maxFullCycles) break;
    await time.sleep(backoffMs, options.signal);
    backoffMs = Math.min(backoffMs * config.backoffMultiplier, config.maxBackoffMs);
    triedLow = 0;
    triedBeyond?.fill(0);
  }
  if (sentAny) throw lastError;
  throw new LoadBalanceError(
    'AllAlternativesFailed',
    `every alternative was known failed in each of ${config.maxFullCycles} cycles; nothing was sent (${alternatives.toString()})`,
  );
}

/** The error that makes the call invalid, or null. Checked before anything is sent. */
function checkArguments(
  transport: NetTransport,
  alternatives: unknown,
  atMostOnce: unknown,
  model: unknown,
  options: LoadBalanceOptions,
): Error | null {
  if (!(alternatives instanceof Alternatives)) {
    return new TypeError('loadBalance takes an Alternatives (Alternatives.of([{ target, distance }, ...]))');
  }
  if (alternatives.size === 0) return new LoadBalanceError('NoAlternatives', 'loadBalance was given no alternatives');
  if (alternatives.transport !== transport) {
    return new TypeError("loadBalance's transport is not the one its alternatives send through");
  }
  if (typeof atMostOnce !== 'boolean') {
    return new TypeError(`atMostOnce must be AtMostOnce.True or AtMostOnce.False, got ${String(atMostOnce)}`);
  }
  if (model !== null && !(model instanceof QueueModel)) {
    return new TypeError('model must be a QueueModel or null');
  }
  const ms = options.unlessFailedForMs;
  if (ms !== undefined) {
    if (atMostOnce) {
      return new TypeError(
        'unlessFailedForMs is for AtMostOnce.False (at least once); AtMostOnce.True sends each attempt once with tryGetReply',
      );
    }
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
      return new RangeError(`unlessFailedForMs must be a number of ms >= 0, got ${String(ms)}`);
    }
  }
  const signal = options.signal;
  if (signal?.aborted === true) return abortError(signal);
  return null;
}
