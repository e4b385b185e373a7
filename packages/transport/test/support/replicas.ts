// Replicas of the test adder for load-balancing tests: each server logs what it got (its IP, the
// request's `a`, the simulated time) and answers as the test says; the client reaches them through
// stable endpoints, as a typed service client does.
import { Endpoint, NetworkAddress } from '@moonpool/core';
import type { SimContext } from '@moonpool/sim';
import {
  jsonCodec,
  MonitorConfig,
  NetTransport,
  PeerConfig,
  type ReplyPromise,
  ServiceEndpoint,
} from '../../src/index.js';
import { ADD_TOKEN, type AddReply, type AddRequest, serveAdder } from './adder.js';
import { PORT } from './simulate.js';

export interface Seen {
  readonly ip: string;
  readonly a: number;
  readonly at: number;
}

/** Answers `request` (or not) on the server at `ctx.myIp`. Default: the sum, at once. */
export type Behaviour = (ctx: SimContext, request: AddRequest, reply: ReplyPromise<AddReply>) => void;

export const answer: Behaviour = (_ctx, r, reply) => reply.send({ sum: r.a + r.b });

/** A server process that logs every request into `log` and answers it with `behaviour`. */
export function replica(log: Seen[], behaviour: Behaviour = answer): (ctx: SimContext) => Promise<void> {
  return (ctx) =>
    serveAdder(ctx, {
      onRequest: (r) => log.push({ ip: ctx.myIp, a: r.a, at: ctx.time.now() }),
      handle: (r, reply) => behaviour(ctx, r, reply),
    });
}

/** Quick to notice a dead connection and to reconnect; never gives up. */
export const CLIENT_CONFIG = PeerConfig.default({
  initialReconnectDelay: 50,
  maxReconnectDelay: 200,
  connectionTimeout: 300,
  monitor: MonitorConfig.default({ pingInterval: 100, pingTimeout: 200, maxToleratedTimeouts: 0 }),
});

export function clientTransport(ctx: SimContext): NetTransport {
  return NetTransport.builder(ctx.providers).peerConfig(CLIENT_CONFIG).build();
}

/** The adder at `ip`, as a stable endpoint (a typed client's kind: "not found" is not for good). */
export function stableAdder(transport: NetTransport, ip: string): ServiceEndpoint<AddRequest, AddReply> {
  return new ServiceEndpoint(transport, new Endpoint(new NetworkAddress(ip, PORT), ADD_TOKEN), jsonCodec, {
    stable: true,
  });
}

/** Which servers saw request `a`, in order. */
export function whoSaw(log: readonly Seen[], a: number): string[] {
  return log.filter((s) => s.a === a).map((s) => s.ip);
}
