import { describeError, type UID } from '@moonpool/core';
import type { MessageCodec } from '../codec/message-codec.js';
import type { Peer } from '../peer/peer.js';
import { encodeReplyError, encodeReplyValue } from './envelope.js';
import type { ReplyErrorKind } from './reply-error.js';

/**
 * The server's side of one request: `send` the reply once. A promise given up without a reply
 * (`abandon`, disposal with `using`, its handler threw, its request stream closed) sends
 * `BrokenPromise`, so the client never waits for nothing. Replies go back on the connection the
 * request came in on, unreliably: a client that reconnects resends its reliable requests.
 */
export class ReplyPromise<T> {
  private settled = false;

  constructor(
    private readonly origin: Peer,
    /** Where the client waits for the reply; null for a request sent with `send` (no reply wanted). */
    readonly replyTo: UID | null,
    private readonly codec: MessageCodec,
    private readonly onSettled: (promise: ReplyPromise<T>) => void = () => undefined,
  ) {}

  /** Whether it was answered or given up. */
  get isSettled(): boolean {
    return this.settled;
  }

  /**
   * Sends the reply. A value the codec cannot encode is answered with `Serialization` and the
   * `CodecError` is thrown to the caller.
   */
  send(value: T): void {
    if (this.settle()) return;
    let bytes: Uint8Array;
    try {
      bytes = this.codec.encode(value);
    } catch (err) {
      this.deliver(encodeReplyError('Serialization', `the server could not encode its reply: ${describeError(err, { stack: false })}`));
      throw err;
    }
    this.deliver(encodeReplyValue(bytes));
  }

  /** Answers with an error (`BrokenPromise` or `Serialization`, the kinds a server gives). */
  sendError(kind: Extract<ReplyErrorKind, 'BrokenPromise' | 'Serialization'>, message: string): void {
    if (this.settle()) return;
    this.deliver(encodeReplyError(kind, message));
  }

  /** Gives up without a reply: the client gets `BrokenPromise` (nothing if already settled). */
  abandon(reason = 'the server dropped the request without replying'): void {
    this.sendError('BrokenPromise', reason);
  }

  [Symbol.dispose](): void {
    this.abandon();
  }

  /** Marks it settled; true if it already was. */
  private settle(): boolean {
    if (this.settled) return true;
    this.settled = true;
    this.onSettled(this);
    return false;
  }

  private deliver(payload: Uint8Array): void {
    if (this.replyTo === null || this.origin.state === 'closed') return;
    try {
      this.origin.sendUnreliable(this.replyTo, payload);
    } catch {
      // Queue full or closed: an unreliable reply is lost like a dropped packet; a reliable request is resent.
    }
  }
}
