// The JSON codec's fast paths give the same text as the general ones: strings around the length
// where the encoder stops copying byte by byte, integers around 32 bits, messages larger than the
// reused buffer, an encode started from a getter during another, and the decoder's skipped walk.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ByteWriter } from '../../src/codec/byte-writer.js';
import { jsonCodec } from '../../src/index.js';

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
const bytesOf = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('jsonCodec encoder fast paths', () => {
  test('strings of every length up to 120, with a special character at each place, read as JSON.stringify writes them', () => {
    const specials = ['"', '\\', '\n', '\u0000', '\u001f', '\u007f', 'é', '中', '😀', '\ud800', '\udfff', '\u2028'];
    for (let length = 0; length <= 120; length++) {
      const plain = 'abcdefghijklmnopqrstuvwxyz0123456789 -_.~'.repeat(3).slice(0, length);
      assert.equal(text(jsonCodec.encode(plain)), JSON.stringify(plain));
      for (const special of specials) {
        for (const at of [0, Math.floor(length / 2), length]) {
          const s = plain.slice(0, at) + special + plain.slice(at);
          assert.equal(text(jsonCodec.encode(s)), JSON.stringify(s), `length ${s.length}, ${JSON.stringify(special)} at ${at}`);
          assert.equal(text(jsonCodec.encode({ [s]: 1 })), JSON.stringify({ [s]: 1 }));
        }
      }
    }
  });

  test('numbers read as String writes them, around 32 bits included', () => {
    const numbers = [
      0, -0, 1, -1, 9, 10, 99, 100, 12345, -67890, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, -(2 ** 31) - 1, 2 ** 32,
      2 ** 53, -(2 ** 53), 0.5, -1.25, 1e21, 1e-7, 5e-324, Number.MAX_VALUE,
    ];
    for (const n of numbers) assert.equal(text(jsonCodec.encode(n)), String(n));
    assert.equal(text(jsonCodec.encode([-0, 7, -(2 ** 31)])), '[0,7,-2147483648]');
  });

  test('a message larger than the reused buffer, then a small one', () => {
    const large = { items: Array.from({ length: 5000 }, (_, i) => ({ id: BigInt(i) << 40n, name: `item é ${i}`, tags: ['a', 'b'] })) };
    const bytes = jsonCodec.encode(large);
    assert.ok(bytes.length > 256 * 1024);
    assert.deepEqual(jsonCodec.decode(bytes), large);
    const small = jsonCodec.encode({ a: 1 });
    assert.equal(text(small), '{"a":1}');
    assert.equal(small.byteLength, small.buffer.byteLength);
    assert.deepEqual(jsonCodec.decode(bytes), large);
  });

  test('an escaped tag-like object at the end of a large message', () => {
    const value = { pad: 'x'.repeat(70_000), last: { $bigint: '1' } };
    assert.equal(text(jsonCodec.encode(value)), `{"pad":"${value.pad}","last":{"$object":{"$bigint":"1"}}}`);
  });

  test('a getter that encodes another message meanwhile: both come out whole', () => {
    let inner: Uint8Array | undefined;
    const value = {
      before: 'b'.repeat(30),
      get during(): string {
        inner = jsonCodec.encode({ nested: [1, 2, 3], id: 5n });
        return 'd';
      },
      after: [1, 2],
    };
    assert.equal(text(jsonCodec.encode(value)), `{"before":"${'b'.repeat(30)}","during":"d","after":[1,2]}`);
    assert.ok(inner !== undefined);
    assert.equal(text(inner), '{"nested":[1,2,3],"id":{"$bigint":"5"}}');
    assert.equal(text(jsonCodec.encode({ again: true })), '{"again":true}');
  });

  test('after a refused message, the next one is written from the start', () => {
    assert.throws(() => jsonCodec.encode({ ok: 'x'.repeat(100), bad: new Map() }));
    assert.equal(text(jsonCodec.encode({ a: 1 })), '{"a":1}');
  });
});

describe('jsonCodec decoder fast path', () => {
  test('a tag spelled with escapes is still read', () => {
    assert.equal(jsonCodec.decode(bytesOf('{"\\u0024bigint":"5"}')), 5n);
    assert.deepEqual(jsonCodec.decode(bytesOf('{"\\u0024object":{"\\u0024bigint":"5"}}')), { $bigint: '5' });
    assert.deepEqual(jsonCodec.decode(bytesOf('[{"$bigint":"7"}]')), [7n]);
  });

  test('bigint tags of every short form, and the malformed ones refused', () => {
    const good = ['0', '-0', '7', '-7', '123456789012345', '-12345678901234', '1234567890123456', '-123456789012345', '9007199254740993'];
    for (const digits of good) assert.equal(jsonCodec.decode(bytesOf(`{"$bigint":"${digits}"}`)), BigInt(digits));
    for (const bad of ['', '-', '01', '-01', '00', '1 ', ' 1', '+1', '1.0', '1e3', '12a', '--1', '-']) {
      assert.throws(() => jsonCodec.decode(bytesOf(`{"$bigint":"${bad}"}`)), /holds a string of decimal digits/, JSON.stringify(bad));
    }
  });

  test('texts without a tag come back as JSON.parse reads them', () => {
    for (const s of ['{"a":"\\"q\\"","b":[1,{"c":null}]}', '{"__proto__":{"x":1}}', '[[[[]]]]', '"$"', '{"a$":1}']) {
      const decoded = jsonCodec.decode(bytesOf(s));
      assert.deepEqual(decoded, JSON.parse(s));
    }
    const proto = jsonCodec.decode(bytesOf('{"__proto__":{"x":1}}')) as object;
    assert.equal(Object.getPrototypeOf(proto), Object.prototype);
    assert.deepEqual(Object.keys(proto), ['__proto__']);
  });

  test('1000 levels with no tag are read, 1001 refused', () => {
    assert.equal(JSON.stringify(jsonCodec.decode(bytesOf(`${'['.repeat(1000)}${']'.repeat(1000)}`))), `${'['.repeat(1000)}${']'.repeat(1000)}`);
    assert.throws(() => jsonCodec.decode(bytesOf(`${'['.repeat(1001)}${']'.repeat(1001)}`)), /nested deeper than 1000/);
  });
});

describe('ByteWriter', () => {
  test('keeps its text within the longest string, counting UTF-16 units, not bytes', () => {
    const writer = new ByteWriter(10);
    writer.text('éééé'); // 4 units, 8 bytes
    writer.ascii('abcdef'); // 10 units
    assert.equal(writer.length, 14);
    assert.throws(() => writer.byte(0x41), (err: unknown) => err instanceof RangeError && /string length/.test(err.message));
    assert.equal(new TextDecoder().decode(writer.copy()), 'ééééabcdef');
  });

  test('grows past its first buffer, and lets a grown buffer go when reset', () => {
    const writer = new ByteWriter();
    const first = writer.bytes;
    for (let i = 0; i < 100_000; i++) writer.int32(i % 10);
    writer.insertAscii(0, '[');
    assert.equal(writer.length, 100_001);
    assert.equal(writer.copy()[0], 0x5b);
    assert.equal(writer.copy()[100_000], 0x39);
    writer.reset();
    assert.equal(writer.length, 0);
    assert.equal(writer.bytes.length, first.length);
  });
});
