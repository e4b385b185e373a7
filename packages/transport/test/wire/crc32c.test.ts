import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { crc32c } from '../../src/index.js';
import { patternBytes } from '../support/frames.js';

/** The definition, one bit at a time: the reference the table-driven code is checked against. */
function bitwiseCrc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return ~crc >>> 0;
}

test('RFC 3720 (iSCSI) B.4 test vectors', () => {
  assert.equal(crc32c(new Uint8Array(32)), 0x8a9136aa);
  assert.equal(crc32c(new Uint8Array(32).fill(0xff)), 0x62a8ab43);
  assert.equal(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i)), 0x46dd794e);
  assert.equal(crc32c(Uint8Array.from({ length: 32 }, (_, i) => 31 - i)), 0x113fdb5c);
});

test('the check value: "123456789" gives 0xE3069283', () => {
  assert.equal(crc32c(new TextEncoder().encode('123456789')), 0xe3069283);
});

test('the empty input gives 0, and every result is an unsigned 32-bit number', () => {
  assert.equal(crc32c(new Uint8Array(0)), 0);
  const value = crc32c(new Uint8Array(32).fill(0xff));
  assert.ok(Number.isInteger(value) && value >= 0 && value <= 0xffffffff);
});

test('every length from 0 to 300, at every alignment, agrees with the bit-by-bit definition', () => {
  const data = patternBytes(320, 7);
  for (let start = 0; start < 8; start++) {
    for (let length = 0; length <= 300; length++) {
      const input = data.subarray(start, start + length);
      assert.equal(crc32c(input), bitwiseCrc32c(input), `start ${start}, length ${length}`);
    }
  }
});

test('long inputs (to 64 KiB) at odd alignments agree with the definition', () => {
  const data = patternBytes(65536 + 8, 11);
  for (const length of [1000, 1023, 1024, 1025, 4099, 65536]) {
    for (const start of [0, 1, 3]) {
      const input = data.subarray(start, start + length);
      assert.equal(crc32c(input), bitwiseCrc32c(input), `start ${start}, length ${length}`);
    }
  }
});

test('random inputs agree with the definition (property)', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => crc32c(bytes) === bitwiseCrc32c(bytes)),
    { numRuns: 200 },
  );
});

test('`initial` continues a checksum: crc32c(b, crc32c(a)) is the checksum of a then b (property)', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 500 }), fc.uint8Array({ maxLength: 500 }), (a, b) => {
      const whole = new Uint8Array(a.length + b.length);
      whole.set(a);
      whole.set(b, a.length);
      return crc32c(b, crc32c(a)) === crc32c(whole);
    }),
    { numRuns: 200 },
  );
});

test('a Node Buffer (a Uint8Array subclass) gives the same checksum', () => {
  const data = patternBytes(1000, 3);
  assert.equal(crc32c(Buffer.from(data)), crc32c(data));
});
