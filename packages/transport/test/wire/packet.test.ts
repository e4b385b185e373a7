import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UID, wellKnownUid, WellKnownToken } from '@moonpool/core';
import {
  crc32c,
  encodePacket,
  HEADER_SIZE,
  MAX_PAYLOAD_SIZE,
  type Packet,
  parsePacket,
  WireError,
} from '../../src/index.js';
import { concat, patternBytes } from '../support/frames.js';

const TOKEN = new UID(0x0123456789abcdefn, 0xfedcba9876543210n);
const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);

function parsed(bytes: Uint8Array): { packet: Packet; consumed: number } {
  const result = parsePacket(bytes);
  if (result instanceof WireError) assert.fail(`unexpected ${result.kind}: ${result.message}`);
  return result;
}

function parseError(bytes: Uint8Array): WireError {
  const result = parsePacket(bytes);
  assert.ok(result instanceof WireError, 'expected a WireError');
  return result;
}

/** A header with the given length field and nothing checked. */
function headerWithLength(length: number): Uint8Array {
  const header = new Uint8Array(HEADER_SIZE);
  view(header).setUint32(0, length, true);
  return header;
}

describe('encodePacket', () => {
  test('lays out length, checksum and token little-endian, then the payload', () => {
    const payload = patternBytes(100, 5);
    const frame = encodePacket(TOKEN, payload);
    assert.equal(frame.length, HEADER_SIZE + 100);
    const v = view(frame);
    assert.equal(v.getUint32(0, true), 124);
    assert.equal(v.getBigUint64(8, true), TOKEN.first);
    assert.equal(v.getBigUint64(16, true), TOKEN.second);
    assert.deepEqual(frame.subarray(HEADER_SIZE), payload);
    assert.deepEqual([...frame.subarray(8, 12)], [0xef, 0xcd, 0xab, 0x89]);
  });

  test('the checksum is CRC32C over the token bytes and the payload', () => {
    const frame = encodePacket(TOKEN, patternBytes(37, 9));
    assert.equal(view(frame).getUint32(4, true), crc32c(frame.subarray(8)));
  });

  test('an empty payload gives a bare header', () => {
    const frame = encodePacket(wellKnownUid(WellKnownToken.Ping), new Uint8Array(0));
    assert.equal(frame.length, HEADER_SIZE);
    assert.equal(view(frame).getUint32(4, true), crc32c(frame.subarray(8, 24)));
  });

  test('frames are independent: encoding more never changes one already returned', () => {
    const first = encodePacket(TOKEN, patternBytes(50, 1));
    const copy = first.slice();
    for (let i = 0; i < 2000; i++) encodePacket(new UID(BigInt(i), 1n), patternBytes(40, i));
    assert.deepEqual(first, copy);
  });

  test('a payload that is not a Uint8Array is a TypeError naming what it is (never silent zeros)', () => {
    for (const [bad, name] of [['text', 'string'], [[1, 2, 3], 'Array'], [null, 'null'], [new Uint16Array(2), 'Uint16Array']]) {
      assert.throws(
        () => encodePacket(TOKEN, bad as unknown as Uint8Array),
        (err: unknown) => err instanceof TypeError && err.message.endsWith(`got ${String(name)}`),
      );
    }
    assert.equal(encodePacket(TOKEN, Buffer.from([1, 2])).length, HEADER_SIZE + 2);
  });

  test('a payload of exactly 1 MiB is accepted; one byte more is PacketTooLarge, naming both sizes', () => {
    const frame = encodePacket(TOKEN, new Uint8Array(MAX_PAYLOAD_SIZE));
    assert.equal(frame.length, HEADER_SIZE + MAX_PAYLOAD_SIZE);
    assert.throws(
      () => encodePacket(TOKEN, new Uint8Array(MAX_PAYLOAD_SIZE + 1)),
      (err: unknown) =>
        err instanceof WireError &&
        err.kind === 'PacketTooLarge' &&
        err.payloadSize === MAX_PAYLOAD_SIZE + 1 &&
        err.message.includes('1048577') &&
        err.message.includes('1048576'),
    );
  });
});

describe('parsePacket', () => {
  test('returns the token, the payload and the bytes consumed; bytes after the packet are left', () => {
    const payload = patternBytes(200, 2);
    const frame = encodePacket(TOKEN, payload);
    const { packet, consumed } = parsed(concat([frame, encodePacket(TOKEN, payload)]));
    assert.equal(consumed, frame.length);
    assert.ok(packet.token.equals(TOKEN));
    assert.deepEqual(packet.payload, payload);
  });

  test('well-known and extreme tokens survive the trip', () => {
    const max = (1n << 64n) - 1n;
    for (const token of [wellKnownUid(0), wellKnownUid(63), new UID(0n, 0n), new UID(max, max), new UID(1n, max)]) {
      const { packet } = parsed(encodePacket(token, new Uint8Array([1, 2, 3])));
      assert.ok(packet.token.equals(token), token.toString());
    }
  });

  test('the payload is a plain Uint8Array view, also when parsing a Node Buffer', () => {
    const frame = Buffer.from(encodePacket(TOKEN, patternBytes(10)));
    const { packet } = parsed(frame);
    assert.equal(Object.getPrototypeOf(packet.payload), Uint8Array.prototype);
    assert.equal(packet.payload.buffer, frame.buffer);
  });

  test('fewer than 24 bytes: InsufficientData saying how many more the header needs', () => {
    const frame = encodePacket(TOKEN, patternBytes(10));
    for (const available of [0, 3, 4, 23]) {
      const err = parseError(frame.subarray(0, available));
      assert.equal(err.kind, 'InsufficientData');
      assert.equal(err.needed, HEADER_SIZE - available);
      assert.match(err.message, new RegExp(`${available} bytes available, the header needs 24 \\(${24 - available} more\\)`));
    }
  });

  test('a partial payload: InsufficientData saying how many more the packet needs', () => {
    const frame = encodePacket(TOKEN, patternBytes(100));
    const err = parseError(frame.subarray(0, 60));
    assert.equal(err.kind, 'InsufficientData');
    assert.equal(err.needed, 64);
    assert.match(err.message, /60 bytes available, the packet needs 124 \(64 more\)/);
  });

  test('a length below the header size is InvalidLength, naming it', () => {
    for (const length of [0, 1, 23]) {
      const err = parseError(headerWithLength(length));
      assert.equal(err.kind, 'InvalidLength');
      assert.equal(err.length, length);
      assert.match(err.message, new RegExp(`invalid packet length ${length}\\b`));
    }
  });

  test('an announced payload over 1 MiB is PacketTooLarge from the length field alone', () => {
    for (const length of [HEADER_SIZE + MAX_PAYLOAD_SIZE + 1, 0xffffffff]) {
      // Only the 4 bytes of the length field: nothing else is waited for.
      const err = parseError(headerWithLength(length).subarray(0, 4));
      assert.equal(err.kind, 'PacketTooLarge');
      assert.equal(err.payloadSize, length - HEADER_SIZE);
      assert.match(err.message, new RegExp(`payload of ${length - HEADER_SIZE} bytes exceeds the maximum of 1048576`));
    }
    // The largest legal length waits for its payload instead.
    assert.equal(parseError(headerWithLength(HEADER_SIZE + MAX_PAYLOAD_SIZE)).kind, 'InsufficientData');
  });

  test('a corrupted byte is ChecksumMismatch with the expected (header) and actual (computed) values', () => {
    const frame = encodePacket(TOKEN, patternBytes(30)).slice();
    const expected = view(frame).getUint32(4, true);
    frame[40]! ^= 0x10;
    const err = parseError(frame);
    assert.equal(err.kind, 'ChecksumMismatch');
    assert.equal(err.expected, expected);
    assert.equal(err.actual, crc32c(frame.subarray(8)));
    const hex = (n: number) => `0x${n.toString(16).toUpperCase().padStart(8, '0')}`;
    assert.match(err.message, new RegExp(`header says ${hex(expected)}.*give ${hex(err.actual!)}`));
  });

  test('a corrupted token is caught too: the checksum covers the destination', () => {
    const frame = encodePacket(TOKEN, patternBytes(30)).slice();
    frame[9]! ^= 0x01;
    assert.equal(parseError(frame).kind, 'ChecksumMismatch');
  });

  test('WireError is an Error with name WireError', () => {
    const err = parseError(new Uint8Array(0));
    assert.ok(err instanceof Error);
    assert.equal(err.name, 'WireError');
    assert.equal(err.expected, undefined);
  });
});
