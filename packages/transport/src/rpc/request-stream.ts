import { ArrayQueue, describeError, Endpoint, type UID, wellKnownUid } from '@moonpool/core';
import type { MessageCodec } from '../codec/message-codec.js';
import { LinkedList, type ListNode } from '../collections/linked-list.js';
import type { Peer } from '../peer/peer.js';
import type { MessageReceiver } from '../transport/message-receiver.js';
import type { NetTransport } from '../transport/net-transport.js';
import { decodeRequest } from './envelope.js';
import { ReplyPromise } from './reply-promise.js';

/** One request as a server gets it. */
export type IncomingRequest<Req, Res> = readonly [request: Req, reply: ReplyPromise<Res>];

/** Where a request stream listens: a dynamic token or a well-known index. */
export type StreamToken = { readonly token: UID } | { readonly wellKnown: number };

/**
 * The server's side of an endpoint: requests sent to `endpoint` come out of `next()` (or a
 * `for await` loop) in arrival order, each with the `ReplyPromise` to answer it. A request the codec
 * cannot decode is answered with `Serialization` and never comes out. `close()` removes the endpoint
 * and gives up every request not yet answered (`BrokenPromise`).
 */
export class RequestStream<Req, Res> implements AsyncIterable<IncomingRequest<Req, Res>> {
  /** Where clients send its requests: this transport's listening address and the stream's token. */
  readonly endpoint: Endpoint;
  private readonly queued = new ArrayQueue<IncomingRequest<Req, Res>>();
  private readonly waiting = new ArrayQueue<(item: IncomingRequest<Req, Res> | null) => void>();
  /** Handed out and not yet answered: given up when the stream closes. */
  private readonly outstanding = new LinkedList<ReplyPromise<Res>>();
  private closed = false;
  private readonly receiver: MessageReceiver;

  constructor(
    private readonly transport: NetTransport,
    where: StreamToken,
    private readonly codec: MessageCodec,
  ) {
    const local = transport.localAddress;
    if (local === null) throw new Error('a request stream needs a listening transport: call transport.listen(address) first');
    this.receiver = { receive: (payload, origin) => this.receive(payload, origin) };
    if ('wellKnown' in where) {
      transport.registerWellKnown(where.wellKnown, this.receiver);
      this.endpoint = new Endpoint(local, wellKnownUid(where.wellKnown));
    } else {
      transport.register(where.token, this.receiver);
      this.endpoint = new Endpoint(local, where.token);
    }
  }

  /** The next request, or null once the stream is closed. */
  next(): Promise<IncomingRequest<Req, Res> | null> {
    const item = this.queued.shift();
    if (item !== undefined) return Promise.resolve(item);
    if (this.closed) return Promise.resolve(null);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private nextResult(): Promise<IteratorResult<IncomingRequest<Req, Res>, undefined>> {
    const item = this.queued.shift();
    if (item !== undefined) return Promise.resolve({ done: false, value: item });
    if (this.closed) return Promise.resolve(DONE);
    return new Promise((resolve) => this.waiting.push((next) => resolve(toResult(next))));
  }

  /**
   * The requests, for `for await`. Leaving the loop early does not close the stream. (A plain
   * iterator, not an async generator: a generator costs two promise turns more per request.)
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<IncomingRequest<Req, Res>> {
    const iterator: AsyncIterableIterator<IncomingRequest<Req, Res>> = {
      next: () => this.nextResult(),
      return: () => Promise.resolve(DONE),
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  /** Requests received and not yet taken. */
  get backlog(): number {
    return this.queued.size;
  }

  /** Removes the endpoint; requests queued or handed out and not answered get `BrokenPromise`. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (!this.endpoint.token.isWellKnown()) this.transport.unregister(this.endpoint.token);
    for (const [, reply] of this.queued.drain()) reply.abandon('the server stopped');
    for (const reply of this.outstanding.values()) reply.abandon('the server stopped');
    for (const resolve of this.waiting.drain()) resolve(null);
  }

  private receive(payload: Uint8Array, origin: Peer): void {
    if (this.closed) return;
    const envelope = decodeRequest(payload);
    if (envelope === null) return; // not a request: nobody to answer
    let node: ListNode<ReplyPromise<Res>> | null = null;
    const reply = new ReplyPromise<Res>(origin, envelope.replyTo, this.codec, () => {
      if (node !== null) this.outstanding.remove(node);
    });
    let request: Req;
    try {
      request = this.codec.decode(envelope.request) as Req;
    } catch (err) {
      reply.sendError('Serialization', `the server could not decode the request: ${describeError(err, { stack: false })}`);
      return;
    }
    // A one-way message (sent with `send`) has nobody to answer: nothing to give up on close.
    if (reply.replyTo !== null) node = this.outstanding.push(reply);
    const item: IncomingRequest<Req, Res> = [request, reply];
    const waiter = this.waiting.shift();
    if (waiter !== undefined) waiter(item);
    else this.queued.push(item);
  }
}

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

function toResult<T>(item: T | null): IteratorResult<T, undefined> {
  return item === null ? DONE : { done: false, value: item };
}
