// A tiny RPC server for tests: answers { a, b } with { sum } at ADD_TOKEN, counts what it got.
import { UID } from '@moonpool/core';
import type { SimContext } from '@moonpool/sim';
import { jsonCodec, NetTransport, PeerConfig, RequestStream } from '../../src/index.js';
import { PORT } from './simulate.js';

export const ADD_TOKEN = new UID(0xadd0n, 1n);

export interface AddRequest {
  readonly a: number;
  readonly b: number;
}
export interface AddReply {
  readonly sum: number;
}

/** Serves additions until the machine dies; `onRequest` sees every request first. */
export async function serveAdder(
  ctx: SimContext,
  onRequest: (req: AddRequest) => void = () => undefined,
): Promise<void> {
  const transport = NetTransport.builder(ctx.providers).peerConfig(PeerConfig.localNetwork()).build();
  await transport.listen(`${ctx.myIp}:${PORT}`);
  const stream = new RequestStream<AddRequest, AddReply>(transport, { token: ADD_TOKEN }, jsonCodec);
  for await (const [request, reply] of stream) {
    onRequest(request);
    reply.send({ sum: request.a + request.b });
  }
}
