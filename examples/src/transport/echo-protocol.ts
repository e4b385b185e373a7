import { crc32c, defineService, Endpoint, method, NetworkAddress, WellKnownToken, wellKnownUid } from 'moonpool';

/** Port every echo server listens on. */
export const ECHO_PORT = 4600;

/**
 * The echo endpoint is well-known (like FoundationDB's cluster entry points): its token is the same
 * in every incarnation of a server, and a `BrokenPromise` or "endpoint not found" never marks a
 * well-known endpoint failed for good, so clients keep reaching a server across its reboots.
 */
export const ECHO_WELL_KNOWN = WellKnownToken.FirstAvailable;

/** The four delivery modes of SPEC §6.5. */
export const DELIVERY_MODES = ['send', 'tryGetReply', 'getReply', 'getReplyUnlessFailedFor'] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];

/**
 * `echo` is idempotent (the reply repeats the body); `increment` is not: it adds one to the server's
 * counter, so it must take effect once per request id however often the request arrives.
 */
export type EchoOp = 'echo' | 'increment';

/** One request; `hash` covers every other field, so the server can tell a corrupted one. */
export interface EchoRequest {
  readonly id: string;
  readonly mode: DeliveryMode;
  readonly op: EchoOp;
  readonly body: string;
  /** Asks the server to give the request up without replying (it then gets `BrokenPromise`). */
  readonly abandon: boolean;
  readonly hash: number;
}

/** The reply: the body echoed (or the counter's value, for `increment`) and its own hash. */
export interface EchoReply {
  readonly id: string;
  readonly body: string;
  readonly hash: number;
}

const encoder = new TextEncoder();

function hashOf(text: string): number {
  return crc32c(encoder.encode(text));
}

export function requestHash(r: Omit<EchoRequest, 'hash'>): number {
  return hashOf(JSON.stringify([r.id, r.mode, r.op, r.body, r.abandon]));
}

export function replyHash(r: Omit<EchoReply, 'hash'>): number {
  return hashOf(JSON.stringify([r.id, r.body]));
}

export function makeRequest(fields: Omit<EchoRequest, 'hash'>): EchoRequest {
  return { ...fields, hash: requestHash(fields) };
}

export function makeReply(id: string, body: string): EchoReply {
  return { id, body, hash: replyHash({ id, body }) };
}

/** The echo endpoint of the server at `ip`. */
export function echoEndpoint(ip: string): Endpoint {
  return new Endpoint(new NetworkAddress(ip, ECHO_PORT), wellKnownUid(ECHO_WELL_KNOWN));
}

/**
 * The same echo as a typed service (one method, types only). Its method token is fixed, like every
 * service's, so a client that once finds it missing (the server stopped serving it) marks it failed
 * for good.
 */
export const EchoService = defineService({
  id: 0xec40n,
  name: 'EchoService',
  methods: { echo: method<EchoRequest, EchoReply>() },
});

/** Which of the server's two endpoints a request goes to. */
export type Via = 'stream' | 'service';
