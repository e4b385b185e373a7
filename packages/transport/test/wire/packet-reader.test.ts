import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UID } from '@moonpool/core';
import { encodePacket, HEADER_SIZE, MAX_PAYLOAD_SIZE, PacketReader, WireError } from '../../src/index.js';
import { chunked, concat, patternBytes, readAll } from '../support/frames.js';

const tokenOf = (i: number) => new UID(BigInt(i) * 0x10001n, BigInt(i));

/** Frames with payloads of many sizes, and the payloads. */
function sampleStream(count: number): { stream: Uint8Array; payloads: Uint8Array[] } {
  const payloads = Array.from({ length: count }, (_, i) => patternBytes((i * 37) % 300, i + 1));
  return { stream: concat(payloads.map((p, i) => encodePacket(tokenOf(i), p))), payloads };
}

function assertReceived(packets: readonly { token: UID; payload: Uint8Array }[], payloads: Uint8Array[]): void {
  assert.equal(packets.length, payloads.length);
  packets.forEach((packet, i) => {
    assert.ok(packet.token.equals(tokenOf(i)), `token of packet ${i}`);
    assert.deepEqual(packet.payload, payloads[i], `payload of packet ${i}`);
  });
}

describe('PacketReader', () => {
  test('many packets in one chunk come out in order', () => {
    const { stream, payloads } = sampleStream(50);
    assertReceived(readAll([stream]).packets, payloads);
  });

  test('byte by byte, every packet comes out once it is complete, and not before', () => {
    const { stream, payloads } = sampleStream(10);
    const reader = new PacketReader();
    const packets = [];
    const ends = new Set<number>();
    for (let at = 0, i = 0; i < payloads.length; i++) ends.add((at += HEADER_SIZE + payloads[i]!.length));
    for (let at = 0; at < stream.length; at++) {
      reader.push(stream.subarray(at, at + 1));
      const packet = reader.next();
      assert.equal(packet !== null, ends.has(at + 1), `after byte ${at + 1}`);
      if (packet !== null) packets.push(packet);
      assert.equal(reader.next(), null);
    }
    assertReceived(packets, payloads);
    assert.equal(reader.bufferedBytes, 0);
  });

  test('a stream cut at every single position gives the same packets', () => {
    const { stream, payloads } = sampleStream(4);
    for (let cut = 0; cut <= stream.length; cut++) {
      assertReceived(readAll([stream.subarray(0, cut), stream.subarray(cut)]).packets, payloads);
    }
  });

  test('irregular chunk sizes, including empty chunks', () => {
    const { stream, payloads } = sampleStream(40);
    const chunks = chunked(stream, [1, 2, 3, 500, 7, 24, 25, 1000]);
    chunks.splice(3, 0, new Uint8Array(0));
    assertReceived(readAll(chunks).packets, payloads);
  });

  test('thousands of chunks pushed before any is read (the chunk list is compacted as it is read)', () => {
    const { stream, payloads } = sampleStream(40);
    const reader = new PacketReader();
    for (const chunk of chunked(stream, [1, 2])) reader.push(chunk);
    assert.equal(reader.bufferedBytes, stream.length);
    const packets = [];
    for (let packet = reader.next(); packet !== null; packet = reader.next()) packets.push(packet);
    assertReceived(packets, payloads);
    assert.equal(reader.bufferedBytes, 0);
  });

  test('payloads already returned are never overwritten by later pushes', () => {
    const { stream, payloads } = sampleStream(30);
    const chunks = chunked(stream, [5, 61, 200, 13]);
    const { packets } = readAll(chunks);
    assertReceived(packets, payloads);
  });

  test('packets split over chunks of Node Buffers come out as plain Uint8Arrays', () => {
    const { stream, payloads } = sampleStream(8);
    const { packets } = readAll(chunked(stream, [17, 90]).map((c) => Buffer.from(c)));
    assertReceived(packets, payloads);
    for (const packet of packets) assert.equal(Object.getPrototypeOf(packet.payload), Uint8Array.prototype);
  });

  test('a 1 MiB payload split over 64 KiB chunks', () => {
    const payload = patternBytes(MAX_PAYLOAD_SIZE, 99);
    const stream = concat([encodePacket(tokenOf(0), payload), encodePacket(tokenOf(1), new Uint8Array(3))]);
    const { packets } = readAll(chunked(stream, [65536]));
    assert.equal(packets.length, 2);
    assert.deepEqual(packets[0]!.payload, payload);
  });

  test('bufferedBytes counts what was pushed and not yet returned', () => {
    const frame = encodePacket(tokenOf(1), patternBytes(100));
    const reader = new PacketReader();
    reader.push(frame.subarray(0, 10));
    assert.equal(reader.bufferedBytes, 10);
    assert.equal(reader.next(), null);
    reader.push(frame.subarray(10, 70));
    assert.equal(reader.next(), null);
    assert.equal(reader.bufferedBytes, 70);
    reader.push(frame.subarray(70));
    assert.notEqual(reader.next(), null);
    assert.equal(reader.bufferedBytes, 0);
  });

  test('many distinct tokens are all read back correctly (the token cache never mixes them up)', () => {
    const tokens = Array.from({ length: 5000 }, (_, i) => new UID(BigInt(i % 7), BigInt(i)));
    tokens.push(...tokens.slice(0, 100)); // seen again after being evicted
    const stream = concat(tokens.map((t) => encodePacket(t, new Uint8Array(0))));
    const { packets } = readAll([stream]);
    assert.equal(packets.length, tokens.length);
    packets.forEach((p, i) => assert.ok(p.token.equals(tokens[i]!), `packet ${i}`));
  });

  describe('a corrupt stream', () => {
    test('throws the WireError from next, after the good packets before it', () => {
      const good = encodePacket(tokenOf(1), patternBytes(10));
      const bad = encodePacket(tokenOf(2), patternBytes(10)).slice();
      bad[30]! ^= 0x80;
      const reader = new PacketReader();
      reader.push(concat([good, bad, good]));
      assert.ok(reader.next()?.token.equals(tokenOf(1)));
      assert.throws(() => reader.next(), (err: unknown) => err instanceof WireError && err.kind === 'ChecksumMismatch');
    });

    test('stays failed: next and push throw the same error, and the buffered bytes are let go', () => {
      const reader = new PacketReader();
      const header = new Uint8Array(HEADER_SIZE);
      new DataView(header.buffer).setUint32(0, 5, true);
      reader.push(header);
      let first: unknown;
      assert.throws(() => reader.next(), (err: unknown) => {
        first = err;
        return err instanceof WireError && err.kind === 'InvalidLength';
      });
      assert.equal(reader.failure, first);
      assert.throws(() => reader.next(), (err: unknown) => err === first);
      assert.throws(() => reader.push(encodePacket(tokenOf(1), new Uint8Array(1))), (err: unknown) => err === first);
      assert.equal(reader.bufferedBytes, 0);
    });

    test('a bad packet split over chunks is caught once it is complete', () => {
      const bad = encodePacket(tokenOf(3), patternBytes(500)).slice();
      bad[300]! ^= 0x01;
      const reader = new PacketReader();
      reader.push(bad.subarray(0, 100));
      assert.equal(reader.next(), null);
      reader.push(bad.subarray(100));
      assert.throws(() => reader.next(), (err: unknown) => err instanceof WireError && err.kind === 'ChecksumMismatch');
    });

    test('a length field split over chunks is checked as soon as its 4 bytes are there', () => {
      const header = new Uint8Array(HEADER_SIZE);
      new DataView(header.buffer).setUint32(0, 0xffffffff, true);
      const reader = new PacketReader();
      reader.push(header.subarray(0, 1));
      reader.push(header.subarray(1, 3));
      assert.equal(reader.next(), null);
      reader.push(header.subarray(3, 4));
      assert.throws(() => reader.next(), (err: unknown) => err instanceof WireError && err.kind === 'PacketTooLarge');
    });
  });
});
