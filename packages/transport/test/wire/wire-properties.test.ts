// Property tests (fast-check) of the wire format against any chunking and against bad input: valid
// packets always come back intact, corrupt or random bytes never crash the reader (it returns packets
// or throws a WireError, nothing else), and an oversized announcement is refused from its header.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { UID } from '@moonpool/core';
import { encodePacket, HEADER_SIZE, MAX_PAYLOAD_SIZE, type Packet, PacketReader, WireError } from '../../src/index.js';
import { chunkSizesArb, chunked, concat, patternBytes, payloadArb, tokenArb } from '../support/frames.js';

/** Feeds `chunks` to a reader; returns the packets and the error that stopped it, if one did. */
function feed(chunks: readonly Uint8Array[]): { packets: Packet[]; error: unknown; reader: PacketReader } {
  const reader = new PacketReader();
  const packets: Packet[] = [];
  try {
    for (const chunk of chunks) {
      reader.push(chunk);
      for (let packet = reader.next(); packet !== null; packet = reader.next()) packets.push(packet);
    }
  } catch (error) {
    return { packets, error, reader };
  }
  return { packets, error: undefined, reader };
}

/** The reader either got through or stopped on a WireError that it keeps throwing. */
function assertOnlyWireErrors({ error, reader }: ReturnType<typeof feed>): void {
  if (error === undefined) return;
  assert.ok(error instanceof WireError, `not a WireError: ${String(error)}`);
  assert.ok(['ChecksumMismatch', 'PacketTooLarge', 'InvalidLength'].includes(error.kind));
  assert.throws(() => reader.next(), (again: unknown) => again === error);
}

const messagesArb = fc.array(fc.tuple(tokenArb, fc.uint8Array({ maxLength: 200 })), { minLength: 1, maxLength: 6 });
const messagesUpTo1MiB = fc.array(fc.tuple(tokenArb, payloadArb), { minLength: 1, maxLength: 4 });
const bitArb = fc.integer({ min: 0, max: 7 });
const frameAll = (messages: readonly [UID, Uint8Array][]) => messages.map(([t, p]) => encodePacket(t, p));

describe('wire properties', () => {
  test('(a) any token and payload up to 1 MiB round-trip through encodePacket and the reader, in any chunking', () => {
    fc.assert(
      fc.property(messagesUpTo1MiB, chunkSizesArb, (messages, sizes) => {
        const stream = concat(frameAll(messages));
        const { packets, error, reader } = feed(chunked(stream, sizes));
        assert.equal(error, undefined);
        assert.equal(packets.length, messages.length);
        packets.forEach((packet, i) => {
          const [token, payload] = messages[i]!;
          assert.ok(packet.token.equals(token));
          assert.deepEqual(packet.payload, payload);
        });
        assert.equal(reader.bufferedBytes, 0);
      }),
      { numRuns: 60 },
    );
  });

  test('(b) random bytes never crash the reader', () => {
    // Often with a plausible length field in front, so that parsing gets past the first check.
    const randomStream = fc.oneof(
      fc.uint8Array({ maxLength: 3000 }),
      fc.tuple(fc.integer({ min: 0, max: 600 }), fc.uint8Array({ maxLength: 3000 })).map(([length, rest]) => {
        const bytes = new Uint8Array(4 + rest.length);
        new DataView(bytes.buffer).setUint32(0, length, true);
        bytes.set(rest, 4);
        return bytes;
      }),
    );
    fc.assert(
      fc.property(randomStream, chunkSizesArb, (bytes, sizes) => assertOnlyWireErrors(feed(chunked(bytes, sizes)))),
      { numRuns: 300 },
    );
  });

  test('(b) mutated valid streams (bit flips, truncation, new length fields, bytes added or removed) never crash the reader', () => {
    const mutationArb = fc.oneof(
      fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
      fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
      fc.record({
        kind: fc.constant('length' as const),
        frame: fc.nat(),
        length: fc.oneof(fc.nat({ max: 0xffffffff }), fc.integer({ min: 0, max: 400 })),
      }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
    );
    const mutationsArb = fc.array(mutationArb, { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(messagesArb, mutationsArb, chunkSizesArb, (messages, mutations, sizes) => {
        const frames = frameAll(messages);
        let stream = concat(frames);
        for (const m of mutations) {
          if (stream.length === 0) break;
          const at = 'at' in m ? m.at % stream.length : 0;
          if (m.kind === 'flip') {
            stream[at]! ^= 1 << m.bit;
          } else if (m.kind === 'truncate') {
            stream = stream.slice(0, at);
          } else if (m.kind === 'insert') {
            stream = concat([stream.subarray(0, at), new Uint8Array([m.byte]), stream.subarray(at)]);
          } else if (m.kind === 'delete') {
            stream = concat([stream.subarray(0, at), stream.subarray(at + 1)]);
          } else {
            const start = frames.slice(0, m.frame % frames.length).reduce((n, f) => n + f.length, 0);
            if (start + 4 <= stream.length) new DataView(stream.buffer).setUint32(start, m.length, true);
          }
        }
        assertOnlyWireErrors(feed(chunked(stream, sizes)));
      }),
      { numRuns: 300 },
    );
  });

  test('(b) one flipped bit in a token, a payload or a checksum is always caught as ChecksumMismatch', () => {
    fc.assert(
      fc.property(messagesArb, fc.nat(), fc.nat(), bitArb, chunkSizesArb, (messages, which, offset, bit, sizes) => {
        const frames = frameAll(messages).map((f) => f.slice());
        const index = which % frames.length;
        const target = frames[index]!;
        // Anywhere from the checksum field (byte 4) to the end of the payload: all but the length field.
        const at = 4 + (offset % (target.length - 4));
        target[at]! ^= 1 << bit;
        const { packets, error } = feed(chunked(concat(frames), sizes));
        assert.ok(error instanceof WireError && error.kind === 'ChecksumMismatch', `got ${String(error)}`);
        assert.notEqual(error.expected, error.actual);
        // The packets before the corrupt one came through intact.
        assert.equal(packets.length, index);
        packets.forEach((p, i) => assert.deepEqual(p.payload, messages[i]![1]));
      }),
      { numRuns: 300 },
    );
  });

  test('(b) a stream cut short returns the complete packets and waits for the rest, without an error', () => {
    fc.assert(
      fc.property(messagesArb, fc.nat(), chunkSizesArb, (messages, cut, sizes) => {
        const stream = concat(frameAll(messages));
        const kept = cut % (stream.length + 1);
        const { packets, error, reader } = feed(chunked(stream.subarray(0, kept), sizes));
        assert.equal(error, undefined);
        let end = 0;
        let count = 0;
        for (const frame of frameAll(messages)) {
          if (end + frame.length > kept) break;
          end += frame.length;
          count++;
        }
        assert.equal(packets.length, count);
        assert.equal(reader.bufferedBytes, kept - end);
      }),
      { numRuns: 200 },
    );
  });
});

describe('(c) nothing proportional to an announced size is allocated before it is checked', () => {
  test('a header announcing 2^32 - 1 bytes is PacketTooLarge at once, from its first 4 bytes', () => {
    const header = new Uint8Array(HEADER_SIZE);
    new DataView(header.buffer).setUint32(0, 0xffffffff, true);
    for (const pushed of [4, HEADER_SIZE]) {
      const reader = new PacketReader();
      const before = process.memoryUsage().arrayBuffers;
      reader.push(header.subarray(0, pushed));
      assert.throws(
        () => reader.next(),
        (err: unknown) => err instanceof WireError && err.kind === 'PacketTooLarge' && err.payloadSize === 0xffffffff - HEADER_SIZE,
      );
      assert.ok(process.memoryUsage().arrayBuffers - before < 64 * 1024, 'no large allocation');
      assert.equal(reader.bufferedBytes, 0);
    }
  });

  test('any announced size over the maximum is refused from the length field alone, in any chunking', () => {
    const tooLargeArb = fc.integer({ min: HEADER_SIZE + MAX_PAYLOAD_SIZE + 1, max: 0xffffffff });
    fc.assert(
      fc.property(tooLargeArb, chunkSizesArb, (length, sizes) => {
        const lengthField = new Uint8Array(4);
        new DataView(lengthField.buffer).setUint32(0, length, true);
        const { error, reader } = feed(chunked(lengthField, sizes));
        assert.ok(error instanceof WireError && error.kind === 'PacketTooLarge');
        assert.equal(error.payloadSize, length - HEADER_SIZE);
        assert.equal(reader.bufferedBytes, 0);
      }),
      { numRuns: 200 },
    );
  });

  test('a legal 1 MiB announcement costs memory in proportion to the bytes that arrived, not to the announcement', () => {
    const frame = encodePacket(new UID(1n, 2n), patternBytes(MAX_PAYLOAD_SIZE, 4));
    const chunks = chunked(frame, [HEADER_SIZE + 1000, 64 * 1024]);
    const reader = new PacketReader();
    const before = process.memoryUsage().arrayBuffers;
    reader.push(chunks[0]!);
    assert.equal(reader.next(), null);
    assert.ok(process.memoryUsage().arrayBuffers - before < 64 * 1024, 'a header and 1000 bytes cost little');
    let received = chunks[0]!.length;
    let packet: Packet | null = null;
    for (const chunk of chunks.slice(1)) {
      reader.push(chunk);
      received += chunk.length;
      packet = reader.next();
      // Growth by doubling keeps at most twice what arrived; counting the outgrown arrays that still
      // await collection, everything allocated stays within four times (plus one slab).
      assert.ok(process.memoryUsage().arrayBuffers - before <= 4 * received + 64 * 1024, `after ${received} bytes`);
    }
    assert.ok(packet !== null);
    assert.equal(packet.payload.length, MAX_PAYLOAD_SIZE);
  });
});
