import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { DIGEST_HEADER, REQUEST_ID_HEADER, requestDigest, responseDigest } from './digest.js';
import { type ItemStore, StoreUnavailableError } from './item-store.js';

/** What a route answers: a status and a JSON body. */
interface Reply {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

const ITEM_PATH = /^\/items\/([a-z0-9-]{1,64})$/;
const REQUEST_ID = /^[\w.-]{1,64}$/;
const JSON_TYPE = 'application/json';

/**
 * The service's REST API as a plain node:http request listener (nothing here knows it runs in a
 * simulation): `GET /health`, and `GET`, `PUT` (`{"value": string}`) and `DELETE` on `/items/:id`.
 * Every answer is JSON. While `draining()` says the server is shutting down, responses carry
 * `Connection: close`, so clients stop reusing its connections.
 */
export function itemsApi(store: ItemStore, draining: () => boolean): RequestListener {
  return (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      route(store, req, body).then(
        (reply) => send(req, res, reply, draining()),
        (err: unknown) => send(req, res, failure(err), draining()),
      );
    });
  };
}

async function route(store: ItemStore, req: IncomingMessage, body: string): Promise<Reply> {
  const method = req.method ?? '';
  const path = req.url ?? '';
  const expected = requestDigest(method, path, headerText(req, REQUEST_ID_HEADER), body);
  if (headerText(req, DIGEST_HEADER) !== expected) return { status: 400, body: { error: 'digest mismatch' } };
  if (path === '/health') {
    return method === 'GET' ? { status: 200, body: { status: 'ok', items: store.size } } : notAllowed('GET');
  }
  const id = ITEM_PATH.exec(path)?.[1];
  if (id === undefined) return { status: 404, body: { error: 'no such route' } };
  switch (method) {
    case 'GET': {
      const value = await store.get(id);
      return value === undefined ? { status: 404, body: { error: 'not found', id } } : { status: 200, body: { id, value } };
    }
    case 'PUT': {
      const value = parseValue(body);
      if (value === undefined) return { status: 400, body: { error: 'body must be {"value": string}' } };
      await store.put(id, value);
      return { status: 200, body: { id, value } };
    }
    case 'DELETE':
      return { status: 200, body: { id, deleted: await store.delete(id) } };
    default:
      return notAllowed('GET, PUT, DELETE');
  }
}

function parseValue(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const value: unknown = (parsed as { value?: unknown }).value;
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

function notAllowed(allow: string): Reply {
  return { status: 405, body: { error: 'method not allowed' }, headers: { allow } };
}

/** A refused store operation is transient: 503 and try again. Anything else is a bug: 500. */
function failure(err: unknown): Reply {
  if (err instanceof StoreUnavailableError) {
    return { status: 503, body: { error: 'store unavailable' }, headers: { 'retry-after': '1' } };
  }
  return { status: 500, body: { error: err instanceof Error ? err.message : String(err) } };
}

function send(req: IncomingMessage, res: ServerResponse, reply: Reply, closing: boolean): void {
  const text = JSON.stringify(reply.body);
  // Echoed only if it is a plausible id: a corrupted one could hold bytes a header may not carry.
  const received = headerText(req, REQUEST_ID_HEADER);
  const requestId = REQUEST_ID.test(received) ? received : '';
  res.writeHead(reply.status, {
    ...reply.headers,
    'content-type': JSON_TYPE,
    'content-length': Buffer.byteLength(text),
    [REQUEST_ID_HEADER]: requestId,
    [DIGEST_HEADER]: responseDigest(reply.status, requestId, JSON_TYPE, text),
    ...(closing ? { connection: 'close' } : {}),
  });
  res.end(text);
}

function headerText(req: IncomingMessage, name: string): string {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : (value ?? '');
}
