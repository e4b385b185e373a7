// Nothing is left behind by requests, whatever their end (SPEC §6.5: the reply endpoint is removed
// when the future settles or is given up): after many requests in every mode, under partitions and
// a server crash, with replies, timeouts, aborts, broken promises and missing endpoints, the client
// has no reply endpoint registered, no failure-monitor wait and no request queued.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Endpoint, NetworkAddress, UID } from '@moonpool/core';
import type { SimContext } from '@moonpool/sim';
import {
  jsonCodec,
  MonitorConfig,
  NetTransport,
  PeerConfig,
  RequestStream,
  ServiceEndpoint,
} from '../../src/index.js';
import { ADD_TOKEN, type AddReply, type AddRequest } from '../support/adder.js';
import { forever, isolate, outcome, PORT, simulate } from '../support/simulate.js';

const BROKEN_TOKEN = new UID(0xb20cen, 1n);
const MISSING_TOKEN = new UID(0x0155n, 1n);
const monitor = MonitorConfig.default({ pingInterval: 100, pingTimeout: 200, maxToleratedTimeouts: 1 });
const config = PeerConfig.default({
  initialReconnectDelay: 20,
  maxReconnectDelay: 200,
  connectionTimeout: 300,
  monitor,
});

/** At ADD_TOKEN: a % 3 == 0 answered at once, 1 after 50 ms, 2 never; at BROKEN_TOKEN: all given up. */
async function server(ctx: SimContext): Promise<void> {
  const transport = NetTransport.builder(ctx.providers).peerConfig(config).build();
  await transport.listen(`${ctx.myIp}:${PORT}`);
  const adder = new RequestStream<AddRequest, AddReply>(transport, { token: ADD_TOKEN }, jsonCodec);
  const broken = new RequestStream<AddRequest, AddReply>(transport, { token: BROKEN_TOKEN }, jsonCodec);
  ctx.task.spawn('broken', async () => {
    for await (const [, reply] of broken) reply.abandon();
  });
  for await (const [r, reply] of adder) {
    if (r.a % 3 === 0) reply.send({ sum: r.a + r.b });
    else if (r.a % 3 === 1) void ctx.time.sleep(50).then(() => reply.send({ sum: r.a + r.b }));
  }
  await forever();
}

describe('no leaks', () => {
  it('after hundreds of requests in every mode and every outcome, nothing is left registered, waiting or queued', async () => {
    const tallies: Record<string, number>[] = [];
    await simulate({
      seeds: [1, 2, 3],
      server,
      faults: async (f) => {
        const ip = f.processIps[0] as string;
        await f.time.sleep(300);
        isolate(f, ip, 500);
        await f.time.sleep(1200);
        f.reboot(ip, 'Crash', { recoveryDelayMs: 200 });
      },
      client: async (ctx, [ip]) => {
        const transport = NetTransport.builder(ctx.providers).peerConfig(config).build();
        const at = (token: UID, port = PORT) => new Endpoint(new NetworkAddress(ip as string, port), token);
        // Mostly the adder; also a token whose requests are given up, one nobody serves, a dead port.
        const targets = [ADD_TOKEN, ADD_TOKEN, ADD_TOKEN, BROKEN_TOKEN, MISSING_TOKEN].map((token) => at(token));
        const endpoints = [...targets, at(ADD_TOKEN, 9)].map(
          (endpoint) => new ServiceEndpoint<AddRequest, AddReply>(transport, endpoint, jsonCodec),
        );
        const tally: Record<string, number> = {};
        const pick = (n: number): number => ctx.random.randomRange(0, n);
        const one = async (a: number): Promise<void> => {
          const target = endpoints[pick(endpoints.length)] as ServiceEndpoint<AddRequest, AddReply>;
          const stop = new AbortController();
          if (pick(4) === 0) void ctx.time.sleep(pick(300)).then(() => stop.abort());
          const options = { timeoutMs: 100 + pick(400), signal: stop.signal };
          const request = { a, b: 1 };
          let result: Promise<unknown>;
          switch (pick(5)) {
            case 0:
              result = target.tryGetReply(request, options);
              break;
            case 1:
              result = target.getReply(request, options);
              break;
            case 2:
              result = target.getReplyUnlessFailedFor(request, pick(400), options);
              break;
            case 3: {
              // The raw future, given up or disposed part-way.
              const future = target.sendRequest(request, { reliable: pick(2) === 0 });
              void ctx.time.sleep(pick(200)).then(() => (pick(2) === 0 ? future.abort() : future[Symbol.dispose]()));
              result = Promise.resolve(future);
              break;
            }
            default:
              try {
                target.send(request);
                result = Promise.resolve();
              } catch (err) {
                result = Promise.reject(err);
              }
          }
          const kind = await outcome(result);
          tally[kind] = (tally[kind] ?? 0) + 1;
        };
        const worker = async (w: number): Promise<void> => {
          for (let i = 0; i < 15; i++) {
            await one(w * 100 + i);
            await ctx.time.sleep(pick(100));
          }
        };
        await Promise.all(Array.from({ length: 20 }, (_, w) => worker(w)));
        tallies.push(tally);
        assert.equal(transport.endpointCount, 0, 'reply endpoints left registered');
        assert.equal(transport.failureMonitor.waiting, 0, 'failure-monitor waits left');
        for (const port of [PORT, 9]) {
          const peer = transport.peer(new NetworkAddress(ip as string, port));
          assert.equal(peer?.metrics.reliableQueueDepth ?? 0, 0, `requests left queued to port ${port}`);
        }
        await transport.close();
      },
    });
    for (const tally of tallies) {
      assert.equal(Object.values(tally).reduce((n, k) => n + k, 0), 300);
      for (const kind of ['ok', 'Timeout', 'AbortError', 'BrokenPromise', 'EndpointNotFound', 'MaybeDelivered']) {
        assert.ok((tally[kind] ?? 0) > 0, `no ${kind} in ${JSON.stringify(tally)}`);
      }
    }
  });
});
