import { request, type Agent, type IncomingHttpHeaders } from 'node:http';

/** How one HTTP exchange ended. */
export type AttemptOutcome =
  | { readonly kind: 'response'; readonly status: number; readonly headers: IncomingHttpHeaders; readonly body: string }
  /** No byte moved for `timeoutMs` (connecting, sending or waiting for the answer): abandoned. */
  | { readonly kind: 'timeout' }
  /** The connection failed: `code` as node reports it (ECONNREFUSED, ECONNRESET, HPE_… parse errors). */
  | { readonly kind: 'error'; readonly code: string };

export interface AttemptSpec {
  readonly agent: Agent;
  readonly host: string;
  readonly port: number;
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly timeoutMs: number;
}

/**
 * One request with plain `http.request`. The `timeout` option is a socket idle timeout: node:http
 * emits 'timeout' and the caller decides; here the request is destroyed. Given at creation, it also
 * covers a connect that never completes (the agent arms it on the new socket).
 */
export function attempt(spec: AttemptSpec): Promise<AttemptOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: AttemptOutcome): void => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    const { agent, host, port, method, path, headers, timeoutMs } = spec;
    const req = request({ agent, host, port, method, path, headers, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        finish({ kind: 'response', status: res.statusCode ?? 0, headers: res.headers, body });
      });
      res.on('error', (err) => finish(failed(err)));
      res.on('close', () => finish({ kind: 'error', code: 'ECONNRESET' })); // cut off mid-body
    });
    req.on('timeout', () => {
      finish({ kind: 'timeout' });
      req.destroy();
    });
    req.on('error', (err) => finish(failed(err)));
    req.end(spec.body);
  });
}

function failed(err: Error): AttemptOutcome {
  const code = (err as NodeJS.ErrnoException).code;
  return { kind: 'error', code: typeof code === 'string' ? code : err.message };
}
