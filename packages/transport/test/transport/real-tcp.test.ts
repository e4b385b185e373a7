// The same transport over real loopback TCP (NodeProviders): round trips in every mode, and a
// client flooding garbage — random bytes, headers with wrong checksums, lengths too large or too
// small — is disconnected while well-behaved clients connected at the same time keep being served.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { describe, it } from 'node:test';
import { Endpoint, type NetworkAddress, NodeProviders, UID } from '@moonpool/core';
import {
  encodePacket,
  HEADER_SIZE,
  jsonCodec,
  MAX_PAYLOAD_SIZE,
  NetTransport,
  RequestStream,
  ServiceEndpoint,
} from '../../src/index.js';
import { ADD_TOKEN, type AddReply, type AddRequest } from '../support/adder.js';
import { text } from '../support/peers.js';

/** An adder on 127.0.0.1, on a port the system picks. */
async function startServer(): Promise<{ transport: NetTransport; address: NetworkAddress; stop: () => Promise<void> }> {
  const transport = NetTransport.builder(new NodeProviders()).build();
  const address = await transport.listen('127.0.0.1:0');
  assert.equal(String(transport.localAddress), String(address));
  assert.notEqual(address.port, 0);
  const stream = new RequestStream<AddRequest, AddReply>(transport, { token: ADD_TOKEN }, jsonCodec);
  const serving = (async () => {
    for await (const [r, reply] of stream) reply.send({ sum: r.a + r.b });
  })();
  const stop = async (): Promise<void> => {
    stream.close();
    await serving;
    await transport.close();
  };
  return { transport, address, stop };
}

function clientOf(address: NetworkAddress): { transport: NetTransport; adder: ServiceEndpoint<AddRequest, AddReply> } {
  const transport = NetTransport.builder(new NodeProviders()).build();
  return { transport, adder: new ServiceEndpoint(transport, new Endpoint(address, ADD_TOKEN), jsonCodec) };
}

/** A header announcing `length` bytes (whole packet) with a checksum that cannot match. */
function header(length: number): Uint8Array {
  const bytes = new Uint8Array(HEADER_SIZE);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, length >>> 0, true);
  view.setUint32(4, 0xdeadbeef, true);
  return bytes;
}

/** Valid frames whose checksum field is then spoiled. */
function badChecksumFrames(): Uint8Array {
  const frame = encodePacket(ADD_TOKEN, text('{"a":1,"b":2}'.padEnd(500, ' ')));
  frame[4] = (frame[4] as number) ^ 0xff;
  const out = new Uint8Array(frame.length * 100);
  for (let i = 0; i < 100; i++) out.set(frame, i * frame.length);
  return out;
}

/**
 * Connects to `address` and writes `first`, then random bytes, for as long as the connection lasts
 * (with backpressure); resolves once the server has closed it.
 */
function flood(address: NetworkAddress, first: Uint8Array): Promise<void> {
  return new Promise((resolve) => {
    const socket: Socket = connect({ host: address.ip, port: address.port });
    let open = true;
    socket.on('error', () => undefined); // the reset shows up as an error on some platforms
    socket.on('close', () => {
      open = false;
      resolve();
    });
    socket.resume(); // read (and drop) whatever the server sends
    const pump = (): void => {
      while (open && socket.write(randomBytes(16 * 1024)));
      if (open) socket.once('drain', pump);
    };
    socket.once('connect', () => {
      socket.write(first);
      pump();
    });
  });
}

describe('NetTransport over loopback TCP', () => {
  it('serves round trips in every mode', { timeout: 20_000 }, async () => {
    const server = await startServer();
    const { transport, adder } = clientOf(server.address);
    try {
      for (let i = 0; i < 50; i++) assert.equal((await adder.getReply({ a: i, b: 1 })).sum, i + 1);
      const many = await Promise.all(Array.from({ length: 200 }, (_, i) => adder.getReply({ a: i, b: i })));
      assert.deepEqual(
        many.map((r) => r.sum),
        Array.from({ length: 200 }, (_, i) => 2 * i),
      );
      assert.equal((await adder.tryGetReply({ a: 2, b: 3 })).sum, 5);
      assert.equal((await adder.getReplyUnlessFailedFor({ a: 4, b: 5 }, 1000)).sum, 9);
      adder.send({ a: 0, b: 0 });
      assert.equal(transport.endpointCount, 0);
      assert.equal(transport.failureMonitor.waiting, 0);
      assert.equal(server.transport.peerCount, 1);
    } finally {
      await transport.close();
      await server.stop();
    }
  });

  it('drops clients that send garbage while serving the others', { timeout: 20_000 }, async () => {
    const server = await startServer();
    const good = [clientOf(server.address), clientOf(server.address)];
    let stop = false;
    const served = [0, 0];
    const loops = good.map(async ({ adder }, c) => {
      for (let i = 0; !stop; i++) {
        assert.equal((await adder.getReply({ a: i, b: c })).sum, i + c);
        served[c] = (served[c] ?? 0) + 1;
      }
    });
    try {
      // Both good clients are connected and served before the garbage starts.
      while (served.some((n) => n < 10)) await new Promise((r) => setImmediate(r));
      await Promise.all([
        flood(server.address, randomBytes(64)),
        flood(server.address, badChecksumFrames()),
        flood(server.address, header(0xffff_ffff)),
        flood(server.address, header(HEADER_SIZE + MAX_PAYLOAD_SIZE + 1)),
        flood(server.address, header(HEADER_SIZE - 1)),
        // A valid packet to a token nobody serves first: answered "not found", then garbage.
        flood(server.address, encodePacket(new UID(0xdeadn, 1n), text('anyone there?'))),
      ]);
      // Every garbage connection was closed by the server; the good ones went on being served.
      const after = [...served];
      while (served.some((n, c) => n < (after[c] as number) + 10)) await new Promise((r) => setImmediate(r));
      assert.equal(server.transport.peerCount, 2, 'only the good clients are left on the server');
    } finally {
      stop = true;
      await Promise.all(loops);
      for (const { transport } of good) await transport.close();
      await server.stop();
    }
  });
});
