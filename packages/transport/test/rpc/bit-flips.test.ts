// Bit flips on the wire (the simulator's chaos): the CRC32C of every packet catches the corruption,
// the connection is dropped and made again, and no corrupted request or reply is ever delivered as
// data — each request carries a hash of its own content that the server checks — while every RPC
// still completes (getReply resends). Also: the same seed runs the same way twice (trace hash).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Endpoint, NetworkAddress, UID } from '@moonpool/core';
import { FAULT_LOG, type FaultEvent, NetworkConfiguration, type SimContext } from '@moonpool/sim';
import {
  crc32c,
  jsonCodec,
  MonitorConfig,
  NetTransport,
  PeerConfig,
  RequestStream,
  ServiceEndpoint,
  type WireErrorKind,
} from '../../src/index.js';
import { text } from '../support/peers.js';
import { forever, PORT, simulate } from '../support/simulate.js';
import { tapStreams } from '../support/tap.js';

const ECHO_TOKEN = new UID(0xec40n, 1n);

/** A message that carries the CRC32C of its own content. */
interface Checked {
  readonly id: number;
  readonly data: string;
  readonly hash: number;
}
const checked = (id: number, data: string): Checked => ({ id, data, hash: crc32c(text(data)) });
const intact = (m: Checked): boolean => crc32c(text(m.data)) === m.hash;

const config = PeerConfig.localNetwork({
  maxConnectionFailures: null,
  monitor: MonitorConfig.default({ pingInterval: 100, pingTimeout: 200, maxToleratedTimeouts: 1 }),
});

/** Quiet but for frequent bit flips. */
function flippingNetwork(probability: number): NetworkConfiguration {
  const quiet = NetworkConfiguration.fastLocal();
  return NetworkConfiguration.validate({
    ...quiet,
    chaos: { ...quiet.chaos, bitFlipProbability: probability, bitFlipCooldownMs: 0 },
  });
}

interface Tally {
  corruptRequests: number;
  corruptReplies: number;
  replies: number;
  reconnects: number;
  flips: number;
  wireErrors: WireErrorKind[];
}

function scenario(tallies: Tally[], seeds: readonly number[]) {
  let tally: Tally;
  return {
    seeds,
    network: flippingNetwork(0.05),
    server: async (ctx: SimContext) => {
      const providers = tapStreams(ctx.providers, (kind) => tally.wireErrors.push(kind));
      const transport = NetTransport.builder(providers).peerConfig(config).build();
      await transport.listen(`${ctx.myIp}:${PORT}`);
      const stream = new RequestStream<Checked, Checked>(transport, { token: ECHO_TOKEN }, jsonCodec);
      for await (const [request, reply] of stream) {
        if (!intact(request)) tally.corruptRequests++;
        reply.send(checked(request.id, [...request.data].reverse().join('')));
      }
      await forever();
    },
    client: async (ctx: SimContext, [ip]: readonly string[]) => {
      tally = { corruptRequests: 0, corruptReplies: 0, replies: 0, reconnects: 0, flips: 0, wireErrors: [] };
      tallies.push(tally);
      const providers = tapStreams(ctx.providers, (kind) => tally.wireErrors.push(kind));
      const transport = NetTransport.builder(providers).peerConfig(config).build();
      const echo = new ServiceEndpoint<Checked, Checked>(
        transport,
        new Endpoint(new NetworkAddress(ip as string, PORT), ECHO_TOKEN),
        jsonCodec,
      );
      const letters = 'abcdefghijklmnopqrstuvwxyz0123456789';
      const one = async (id: number): Promise<void> => {
        const length = ctx.random.randomRange(1, 3000);
        let data = '';
        for (let i = 0; i < length; i++) data += letters[ctx.random.randomRange(0, letters.length)];
        const reply = await echo.getReply(checked(id, data));
        if (!intact(reply) || reply.id !== id || reply.data !== [...data].reverse().join('')) tally.corruptReplies++;
        tally.replies++;
      };
      for (let batch = 0; batch < 10; batch++) {
        await Promise.all(Array.from({ length: 10 }, (_, i) => one(batch * 10 + i)));
      }
      tally.reconnects = transport.peer(echo.endpoint.address)?.metrics.reconnects ?? 0;
      tally.flips = ctx.eventLog<FaultEvent>(FAULT_LOG).all().filter((e) => e.event.type === 'BitFlip').length;
      await transport.close();
    },
  };
}

describe('bit flips', () => {
  it('are caught by the CRC: connections dropped, nothing corrupt delivered, every RPC answered', async () => {
    const tallies: Tally[] = [];
    await simulate(scenario(tallies, [1, 2, 3, 4]));
    for (const t of tallies) {
      assert.equal(t.replies, 100);
      assert.equal(t.corruptRequests, 0, 'a corrupted request reached the server as data');
      assert.equal(t.corruptReplies, 0, 'a corrupted reply reached the client as data');
      assert.ok(t.flips > 0 && t.reconnects > 0, JSON.stringify(t));
      assert.ok(t.wireErrors.length > 0, JSON.stringify(t));
    }
    assert.ok(
      tallies.some((t) => t.wireErrors.includes('ChecksumMismatch')),
      `the checksum caught flips: ${JSON.stringify(tallies.map((t) => t.wireErrors))}`,
    );
  });

  it('the same seed gives the same trace hash twice; other seeds give others', async () => {
    const report = await simulate(scenario([], [7, 7, 8]));
    const [first, again, other] = report.runs.map((r) => r.traceHash);
    assert.equal(first, again);
    assert.notEqual(first, other);
    const rerun = await simulate(scenario([], [7]));
    assert.equal(rerun.runs[0]?.traceHash, first);
  });
});
