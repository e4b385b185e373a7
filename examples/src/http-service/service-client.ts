import type { Agent } from 'node:http';
import { assertAlways, assertSometimes, type SimContext } from 'moonpool';
import { type AttemptOutcome, attempt } from './http-attempt.js';
import { DIGEST_HEADER, REQUEST_ID_HEADER, requestDigest, responseDigest } from './digest.js';
import { type ClientPolicy, HTTP_PORT } from './service-config.js';

/**
 * How a call ended. `uncertain`: some attempt ended without telling whether the server acted on it
 * (a timeout, a reset, a corrupted answer), so a write may have been applied — even later than any
 * reply, as a request stuck in the server can still finish.
 */
export type CallResult =
  | { readonly kind: 'reply'; readonly status: number; readonly json: unknown; readonly uncertain: boolean }
  | { readonly kind: 'gave-up'; readonly uncertain: boolean };

/** One attempt, judged: a final reply, or a retry that did or did not leave the outcome open. */
type Verdict =
  | { readonly kind: 'reply'; readonly status: number; readonly json: unknown }
  | { readonly kind: 'retry'; readonly reason: string; readonly maybeApplied: boolean };

/**
 * A client of the service over node:http: verifies each answer's digest, retries what is transient
 * (503, a server that caught a corrupted request, connection errors, timeouts) with exponential
 * backoff and full jitter, and reports whether the outcome is certain.
 */
export class ServiceClient {
  private requests = 0;

  constructor(
    private readonly ctx: SimContext,
    private readonly agent: Agent,
    private readonly host: string,
    private readonly name: string,
    private readonly policy: ClientPolicy,
  ) {}

  async call(method: string, path: string, body?: string): Promise<CallResult> {
    let uncertain = false;
    for (let n = 1; ; n++) {
      const requestId = `${this.name}.${++this.requests}`;
      const verdict = this.judge(requestId, await this.send(requestId, method, path, body));
      if (verdict.kind === 'reply') return { ...verdict, uncertain };
      uncertain ||= verdict.maybeApplied;
      if (n >= this.policy.maxAttempts) return { kind: 'gave-up', uncertain };
      assertSometimes(verdict.reason === 'timeout', 'request timed out and retried');
      await this.backoff(n);
    }
  }

  private send(requestId: string, method: string, path: string, body = ''): Promise<AttemptOutcome> {
    return attempt({
      agent: this.agent,
      host: this.host,
      port: HTTP_PORT,
      method,
      path,
      headers: {
        'content-type': 'application/json',
        [REQUEST_ID_HEADER]: requestId,
        [DIGEST_HEADER]: requestDigest(method, path, requestId, body),
      },
      body,
      timeoutMs: this.policy.timeoutMs,
    });
  }

  private judge(requestId: string, outcome: AttemptOutcome): Verdict {
    switch (outcome.kind) {
      case 'timeout':
        return { kind: 'retry', reason: 'timeout', maybeApplied: true };
      case 'error':
        // Refused: no connection, so no request. Anything else may have reached the server.
        return { kind: 'retry', reason: outcome.code, maybeApplied: outcome.code !== 'ECONNREFUSED' };
      case 'response':
        return this.judgeResponse(requestId, outcome);
    }
  }

  private judgeResponse(requestId: string, res: AttemptOutcome & { kind: 'response' }): Verdict {
    const contentType = res.headers['content-type'] ?? '';
    const intact =
      res.headers[REQUEST_ID_HEADER] === requestId &&
      res.headers[DIGEST_HEADER] === responseDigest(res.status, requestId, contentType, res.body);
    // Corrupted on the way back: the server may well have acted on the request.
    if (!intact) return { kind: 'retry', reason: 'corrupt response', maybeApplied: true };
    const json = parseJson(res.body);
    assertAlways(
      json !== undefined && contentType === 'application/json',
      'responses are well-formed JSON',
    );
    if (json === undefined) return { kind: 'retry', reason: 'malformed response', maybeApplied: true };
    assertSometimes(res.status === 503, 'saw 503');
    // The service refused before touching the store.
    if (res.status === 503) return { kind: 'retry', reason: 'unavailable', maybeApplied: false };
    const corruptedRequest = res.status === 400 && (json as { error?: unknown }).error === 'digest mismatch';
    if (corruptedRequest) return { kind: 'retry', reason: 'corrupt request', maybeApplied: false };
    return { kind: 'reply', status: res.status, json };
  }

  private backoff(retry: number): Promise<void> {
    const { baseBackoffMs, maxBackoffMs } = this.policy;
    const cap = Math.min(maxBackoffMs, baseBackoffMs * 2 ** (retry - 1));
    return this.ctx.time.sleep(this.ctx.random.randomRange(1, Math.max(2, cap)));
  }
}

/** The parsed body if it is a JSON object, else undefined. */
function parseJson(text: string): object | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
