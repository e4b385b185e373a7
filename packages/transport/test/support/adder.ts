// A tiny RPC server for tests: answers { a, b } with { sum } at ADD_TOKEN, counts what it got.
import { Endpoint, NetworkAddress, UID } from '@moonpool/core';
import type { SimContext } from '@moonpool/sim';
import {
  jsonCodec,
  NetTransport,
  PeerConfig,
  type ReplyPromise,
  RequestStream,
  ServiceEndpoint,
} from '../../src/index.js';
import { PORT } from './simulate.js';

export const ADD_TOKEN = new UID(0xadd0n, 1n);

export interface AddRequest {
  readonly a: number;
  readonly b: number;
}
export interface AddReply {
  readonly sum: number;
}

export interface AdderOptions {
  /** Sees every request first. */
  readonly onRequest?: (request: AddRequest) => void;
  /**
   * Answers in its place: it gets the request and its promise and may reply later, give it up or
   * keep it unanswered. The default replies with the sum at once.
   */
  readonly handle?: (request: AddRequest, reply: ReplyPromise<AddReply>) => void;
  /** The server's transport and request stream once it listens (to close them, read their state). */
  readonly onListening?: (transport: NetTransport, stream: RequestStream<AddRequest, AddReply>) => void;
  readonly peerConfig?: PeerConfig;
}

/** Serves additions until the machine dies (or its stream is closed); `onRequest` sees every request first. */
export async function serveAdder(
  ctx: SimContext,
  options: AdderOptions | ((request: AddRequest) => void) = {},
): Promise<void> {
  const { onRequest, handle, onListening, peerConfig } = typeof options === 'function' ? { onRequest: options } : options;
  const transport = NetTransport.builder(ctx.providers).peerConfig(peerConfig ?? PeerConfig.localNetwork()).build();
  await transport.listen(`${ctx.myIp}:${PORT}`);
  const stream = new RequestStream<AddRequest, AddReply>(transport, { token: ADD_TOKEN }, jsonCodec);
  onListening?.(transport, stream);
  for await (const [request, reply] of stream) {
    onRequest?.(request);
    if (handle) handle(request, reply);
    else reply.send({ sum: request.a + request.b });
  }
}

/** The client's handle on the adder served at `ip`. */
export function adderAt(
  transport: NetTransport,
  ip: string,
  token: UID = ADD_TOKEN,
): ServiceEndpoint<AddRequest, AddReply> {
  return new ServiceEndpoint(transport, new Endpoint(new NetworkAddress(ip, PORT), token), jsonCodec);
}
