import { describeError, type UID } from '@moonpool/core';
import type { MessageCodec } from '../codec/message-codec.js';
import type { Peer } from '../peer/peer.js';
import { encodeForPacket, frameReplyError, frameReplyValue } from './envelope.js';
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
   * Sends the reply. A value the codec cannot encode, or too large for a packet, is answered with
   * `Serialization` and the error is thrown to the caller.
   */
  send(value: T): void {
    if (this.settle()) return;
    const { replyTo } = this;
    let frame: Uint8Array;
    try {
      const bytes = encodeForPacket(this.codec, value);
      if (replyTo === null) return;
      frame = frameReplyValue(replyTo, bytes);
    } catch (err) {
      const why = `the server could not send its reply: ${describeError(err, { stack: false })}`;
      if (replyTo !== null) this.deliver(frameReplyError(replyTo, 'Serialization', why));
      throw err;
    }
    this.deliver(frame);
  }

  /** Answers with an error (`BrokenPromise` or `Serialization`, the kinds a server gives). */
  sendError(kind: Extract<ReplyErrorKind, 'BrokenPromise' | 'Serialization'>, message: string): void {
    if (this.settle() || this.replyTo === null) return;
    this.deliver(frameReplyError(this.replyTo, kind, message));
  }

  /** Gives up without a reply: the client gets `BrokenPromise` (nothing if already settled). */
  abandon(reason = 'the server dropped the request without replying'): void {
    this.sendError('BrokenPromise', reason);
  }

  /** Gives up as `abandon()` does, for `using`: an unanswered request gets `BrokenPromise`. */
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

  private deliver(frame: Uint8Array): void {
    if (this.origin.state === 'closed') return;
    try {
      this.origin.sendUnreliableFrame(frame);
    } catch {
      // Queue full or closed: an unreliable reply is lost like a dropped packet; a reliable request is resent.
    }
  }
}
