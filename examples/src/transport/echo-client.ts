import {
  type Endpoint,
  jsonCodec,
  MessagingError,
  type NetTransport,
  type Peer,
  ReplyError,
  type RequestOptions,
  serviceClient,
  ServiceEndpoint,
  type SimContext,
} from 'moonpool';
import { CORRUPT_LOG, type CorruptDelivery, emitDelivery, type Outcome } from './delivery-events.js';
import {
  type DeliveryMode,
  type EchoOp,
  type EchoReply,
  type EchoRequest,
  echoEndpoint,
  EchoService,
  makeRequest,
  replyHash,
  type Via,
} from './echo-protocol.js';

/** The four delivery modes of one endpoint: a raw `ServiceEndpoint` or a typed `MethodClient`. */
interface EchoCaller {
  readonly endpoint: Endpoint;
  send(request: EchoRequest): void;
  tryGetReply(request: EchoRequest, options?: RequestOptions): Promise<EchoReply>;
  getReply(request: EchoRequest, options?: RequestOptions): Promise<EchoReply>;
  getReplyUnlessFailedFor(request: EchoRequest, failedForMs: number, options?: RequestOptions): Promise<EchoReply>;
}

/** How long each mode waits for its reply, and how long an endpoint may stay failed. */
export const TIMEOUTS = {
  tryGetReplyMs: 2000,
  getReplyMs: 5000,
  /** `getReplyUnlessFailedFor` gives up once the server's address has been failed this long. */
  failedForMs: 1000,
} as const;

/** What the client's peer to a server had seen when a request went out. */
interface LinkSnapshot {
  readonly peer: Peer | undefined;
  readonly connectionFailures: number;
  readonly reconnects: number;
  readonly disconnects: number;
  readonly knownFailed: boolean;
}

/** How a request ended, and whether its peer reconnected meanwhile (a reliable one was resent). */
export interface Issued {
  readonly outcome: Outcome;
  /** The error's message, or the reply when it did not match. */
  readonly detail: string;
  readonly reconnected: boolean;
}

/** A request to issue: the client gives it an id, a body and its hash. */
export interface Call {
  readonly server: string;
  readonly mode: DeliveryMode;
  readonly op: EchoOp;
  readonly abandon: boolean;
  /** The raw echo stream or the typed service. */
  readonly via: Via;
  /** Overrides the mode's usual timeout. */
  readonly timeoutMs?: number;
}

/**
 * A client of the echo servers through one `NetTransport`: issues a request in any delivery mode and
 * writes its timeline (`sent`, then `outcome`) to the mode's event log. Each request gets a unique id
 * and a body of random length; a reply is checked against its own hash and against the request.
 * Whether a connection failure happened while the request was out is read from the peer's metrics
 * and the failure monitor.
 */
export class EchoClient {
  private readonly callers = new Map<string, EchoCaller>();
  private issued = 0;

  constructor(
    private readonly ctx: SimContext,
    private readonly transport: NetTransport,
    /** Prefix of this client's request ids (unique per client). */
    private readonly name: string,
  ) {}

  async issue(call: Call): Promise<Issued> {
    const { ctx } = this;
    const { server, mode, op, abandon, via } = call;
    const id = `${this.name}.${++this.issued}`;
    const body = 'x'.repeat(ctx.random.randomRange(0, 200));
    const request = makeRequest({ id, mode, op, body, abandon });
    const endpoint = this.callerOf(server, via);
    emitDelivery(ctx, mode, { type: 'sent', id, mode, op, server, via, client: this.name });
    let outcome: Outcome;
    let detail = '';
    let intact = false;
    let before: LinkSnapshot | null = null;
    try {
      let pending: Promise<EchoReply> | null = null;
      const timeoutMs = call.timeoutMs ?? (mode === 'tryGetReply' ? TIMEOUTS.tryGetReplyMs : TIMEOUTS.getReplyMs);
      if (mode === 'send') endpoint.send(request);
      else if (mode === 'tryGetReply') pending = endpoint.tryGetReply(request, { timeoutMs });
      else if (mode === 'getReply') pending = endpoint.getReply(request, { timeoutMs });
      else pending = endpoint.getReplyUnlessFailedFor(request, TIMEOUTS.failedForMs, { timeoutMs });
      // Taken once the request is queued: its peer exists from then on.
      before = this.link(endpoint.endpoint);
      if (pending === null) {
        outcome = 'queued';
      } else {
        const reply = await pending;
        outcome = 'reply';
        intact = this.verify(request, reply);
        if (!intact) detail = JSON.stringify(reply);
      }
    } catch (err) {
      outcome = classify(err);
      detail = err instanceof Error ? err.message : String(err);
    }
    before ??= this.link(endpoint.endpoint);
    const after = this.link(endpoint.endpoint);
    const faultSeen = faultBetween(before, after);
    emitDelivery(ctx, mode, { type: 'outcome', id, outcome, faultSeen, intact, detail });
    return { outcome, detail, reconnected: after.peer === before.peer && after.reconnects > before.reconnects };
  }

  /** The reply is intact (its hash) and answers this request (its id, and the body for an echo). */
  private verify(request: EchoRequest, reply: EchoReply): boolean {
    if (typeof reply !== 'object' || reply === null || replyHash(reply) !== reply.hash) {
      this.ctx.emit<CorruptDelivery>(CORRUPT_LOG, { where: 'client', detail: JSON.stringify(reply) });
      return false;
    }
    if (reply.id !== request.id) return false;
    return request.op === 'echo' ? reply.body === request.body : /^[1-9][0-9]*$/.test(reply.body);
  }

  private callerOf(server: string, via: Via): EchoCaller {
    const key = `${via} ${server}`;
    let caller = this.callers.get(key);
    if (caller === undefined) {
      if (via === 'stream') {
        caller = new ServiceEndpoint<EchoRequest, EchoReply>(this.transport, echoEndpoint(server), jsonCodec);
      } else {
        const method = serviceClient(this.transport, EchoService, echoEndpoint(server).address).echo;
        caller = {
          endpoint: method.endpoint.endpoint,
          send: (request) => method.send(request),
          tryGetReply: (request, options) => method.tryGetReply(request, options),
          getReply: (request, options) => method.getReply(request, options),
          getReplyUnlessFailedFor: (request, ms, options) => method.getReplyUnlessFailedFor(request, ms, options),
        };
      }
      this.callers.set(key, caller);
    }
    return caller;
  }

  private link(endpoint: Endpoint): LinkSnapshot {
    const peer = this.transport.peer(endpoint.address);
    return {
      peer,
      connectionFailures: peer?.metrics.connectionFailures ?? 0,
      reconnects: peer?.metrics.reconnects ?? 0,
      disconnects: peer?.metrics.disconnects ?? 0,
      // The address, not the endpoint: an endpoint found missing is no connection failure.
      knownFailed: this.transport.failureMonitor.isAddressKnownFailed(endpoint.address),
    };
  }
}

/** A connection failed, or was replaced, between the two snapshots (or the address was failed). */
function faultBetween(before: LinkSnapshot, after: LinkSnapshot): boolean {
  return (
    before.knownFailed ||
    after.knownFailed ||
    after.peer !== before.peer ||
    after.connectionFailures > before.connectionFailures ||
    after.disconnects > before.disconnects ||
    after.reconnects > before.reconnects
  );
}

function classify(err: unknown): Outcome {
  if (err instanceof ReplyError) return err.kind;
  if (err instanceof MessagingError && err.kind === 'QueueFull') return 'QueueFull';
  return 'Other';
}
