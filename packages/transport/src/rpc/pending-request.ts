import { abortError, describeError, type Endpoint, type UID } from '@moonpool/core';
import type { MessageCodec } from '../codec/message-codec.js';
import type { ListNode } from '../collections/linked-list.js';
import type { MessagingError } from '../peer/messaging-error.js';
import type { ReliablePacket } from '../peer/send-queue.js';
import type { NetTransport } from '../transport/net-transport.js';
import { decodeReply, frameRequest } from './envelope.js';
import { ReplyError } from './reply-error.js';
import type { GroupMember, RequestGroup } from './request-group.js';
import { type InFlightRequest, type RequestsInFlight, requestsInFlight } from './requests-in-flight.js';

export interface PendingRequestOptions {
  /** Reliable (kept and resent after reconnects until the reply comes) or sent once. */
  readonly reliable: boolean;
  /** Aborting it gives the request up: it settles with the signal's reason. */
  readonly signal?: AbortSignal | undefined;
  /**
   * The endpoint's token outlives a server's incarnation (a service method's): an earlier "not
   * found" does not fail the request before it is sent; only one for this request does.
   */
  readonly stable?: boolean;
  /** Given up when the group is (a fan-out's calls): a cheaper `signal` for requests given up together. */
  readonly group?: RequestGroup | undefined;
  /** Gives up with `Timeout` after this many ms (none: no timeout of its own). */
  readonly timeoutMs?: number | undefined;
  /**
   * Watches for another reason to give up (the address failing, ...): calls `giveUp` with the error
   * when it comes, and returns the withdrawal of the watch.
   */
  readonly watchGiveUp?: ((giveUp: (error: ReplyError) => void) => () => void) | null;
}

/**
 * One request on its way: a temporary endpoint waits for the reply, and everything the request
 * holds (that endpoint, the kept reliable packet, its waits) is removed as soon as it settles. It
 * settles through callbacks rather than a promise of its own, so that the delivery modes, which race
 * it against timers and failures, pay for one promise per call, not two.
 */
export class PendingRequest<T> implements InFlightRequest {
  /** The temporary endpoint's token. */
  readonly token: UID;
  /** When it gives up with `Timeout` (`time.now()` ms; Infinity: no timeout of its own). */
  readonly deadline: number;
  private readonly timeoutMs: number | undefined;
  private packet: ReliablePacket | null = null;
  private settledValue = false;
  /** Where it waits to hear that its endpoint was found missing (null: not yet, or no longer). */
  private inFlight: RequestsInFlight | null = null;
  private inFlightNode: ListNode<InFlightRequest> | null = null;
  /** The group it is in, and its place there (null: none, or no longer). */
  private group: RequestGroup | null = null;
  private groupNode: ListNode<GroupMember> | null = null;
  /** Withdraws the wait on the caller's signal. */
  private onAbort: (() => void) | null = null;
  private unwatchGiveUp: (() => void) | null = null;

  constructor(
    private readonly transport: NetTransport,
    readonly endpoint: Endpoint,
    /** The request's bytes: copied into its packet before this returns (they may be transient). */
    request: Uint8Array,
    private readonly codec: MessageCodec,
    options: PendingRequestOptions,
    private readonly resolve: (value: T) => void,
    private readonly reject: (error: unknown) => void,
  ) {
    this.token = transport.newToken();
    this.timeoutMs = options.timeoutMs;
    this.deadline =
      options.timeoutMs === undefined ? Number.POSITIVE_INFINITY : transport.providers.time.now() + options.timeoutMs;
    const monitor = transport.failureMonitor;
    const stable = options.stable === true;
    if (!stable && monitor.isPermanentlyFailed(endpoint)) {
      this.fail(endpointNotFound(endpoint));
      return;
    }
    const signal = options.signal;
    if (signal?.aborted) {
      this.fail(abortError(signal));
      return;
    }
    const group = options.group;
    if (group?.cancelled) {
      this.fail(group.reason);
      return;
    }
    transport.register(this.token, this);
    try {
      const frame = frameRequest(endpoint.token, this.token, request);
      if (options.reliable) {
        this.packet = transport.sendReliableFrame(endpoint.address, frame);
        this.packet.onLost = (error) => this.onLost(error);
      } else {
        transport.sendUnreliableFrame(endpoint.address, frame);
      }
    } catch (err) {
      this.fail(err);
      return;
    }
    this.inFlight = requestsInFlight(transport);
    this.inFlightNode = this.inFlight.add(this);
    if (group !== undefined) {
      this.group = group;
      this.groupNode = group.join(this);
    }
    if (signal !== undefined) {
      const onAbort = (): void => this.fail(abortError(signal));
      signal.addEventListener('abort', onAbort, { once: true });
      this.onAbort = () => signal.removeEventListener('abort', onAbort);
    }
    const { watchGiveUp } = options;
    if (watchGiveUp != null && !this.settledValue) this.unwatchGiveUp = watchGiveUp((error) => this.fail(error));
    // Settled while registering (its signal aborted, or the watch gave up at once): withdraw now.
    if (this.settledValue) this.finishWatching();
  }

  get settled(): boolean {
    return this.settledValue;
  }

  /** The reply arrived at the temporary endpoint (the transport calls this). */
  receive(payload: Uint8Array): void {
    if (this.settledValue) return;
    const reply = decodeReply(payload);
    if (reply instanceof ReplyError) {
      this.fail(reply);
      return;
    }
    let value: T;
    try {
      value = this.codec.decode(reply) as T;
    } catch (err) {
      this.fail(new ReplyError('Serialization', `the reply could not be decoded: ${describeError(err, { stack: false })}`));
      return;
    }
    this.finish();
    this.resolve(value);
  }

  /** Its endpoint was found missing: it surely was not processed. */
  notFound(): void {
    this.fail(endpointNotFound(this.endpoint));
  }

  /** Its time is up. */
  timedOut(): void {
    this.fail(new ReplyError('Timeout', `no reply from ${this.endpoint.toString()} within ${this.timeoutMs} ms`));
  }

  /** Gives the request up with `error` (nothing if it already settled). */
  fail(error: unknown): void {
    if (this.settledValue) return;
    this.finish();
    this.reject(error);
  }

  private onLost(error: MessagingError): void {
    this.fail(new ReplyError('ConnectionFailed', error.message));
  }

  /** Settles: the temporary endpoint, the kept request and every wait are removed. */
  private finish(): void {
    this.settledValue = true;
    this.transport.unregister(this.token);
    const packet = this.packet;
    this.packet = null;
    if (packet !== null) {
      packet.onLost = null;
      packet.cancel();
    }
    this.finishWatching();
  }

  private finishWatching(): void {
    if (this.inFlightNode !== null) this.inFlight?.delete(this.inFlightNode);
    this.inFlight = null;
    this.inFlightNode = null;
    if (this.groupNode !== null) this.group?.leave(this.groupNode);
    this.group = null;
    this.groupNode = null;
    const { onAbort, unwatchGiveUp } = this;
    this.onAbort = null;
    this.unwatchGiveUp = null;
    onAbort?.();
    unwatchGiveUp?.();
  }
}

/** The error of a request to an endpoint found missing on the other side. */
export function endpointNotFound(endpoint: Endpoint): ReplyError {
  return new ReplyError('EndpointNotFound', `nothing is registered at ${endpoint.toString()}`);
}
