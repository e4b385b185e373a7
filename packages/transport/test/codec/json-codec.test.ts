import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CodecError, jsonCodec } from '../../src/index.js';

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
const bytesOf = (s: string): Uint8Array => new TextEncoder().encode(s);
const roundTrip = (value: unknown): unknown => jsonCodec.decode(jsonCodec.encode(value));

/** Asserts that `fn` throws a CodecError whose message matches `message` and whose path is `path`. */
function assertCodecError(fn: () => unknown, message: RegExp, path?: string): CodecError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof CodecError, `expected a CodecError, got ${String(caught)}`);
  assert.match(caught.message, message);
  if (path !== undefined) assert.equal(caught.path, path);
  return caught;
}

describe('jsonCodec round trips', () => {
  test('is named json', () => {
    assert.equal(jsonCodec.name, 'json');
    assert.ok(Object.isFrozen(jsonCodec));
  });

  test('JSON values come back equal, and the text is plain JSON', () => {
    const values = [
      null, true, false, 0, 1.5, -7, 1e21, Number.MAX_SAFE_INTEGER, 5e-324, '', 'hello',
      [], {}, [1, 'two', null, [3]], { a: { b: { c: [] } } }, { 'odd key': 1, '': 2, 'a.b': [{}] },
    ];
    for (const value of values) {
      assert.deepEqual(roundTrip(value), value);
      assert.equal(text(jsonCodec.encode(value)), JSON.stringify(value));
    }
  });

  test('strings of every kind survive: escapes, controls, astral characters, lone surrogates', () => {
    const strings = ['quote " backslash \\ slash /', '\u0000\u0001\u001f\n\t', 'é ü 中文 😀', '\ud800', 'a\udc00b', '\u2028\u2029'];
    for (const s of strings) {
      assert.equal(roundTrip(s), s);
      assert.deepEqual(roundTrip({ [s]: s }), { [s]: s });
    }
  });

  test('the bytes are UTF-8', () => {
    assert.deepEqual([...jsonCodec.encode('é')], [0x22, 0xc3, 0xa9, 0x22]);
  });

  test('bigints round-trip as tagged decimal strings, signs and sizes included', () => {
    const values = [0n, 1n, -1n, 123n, (1n << 64n) - 1n, -(1n << 200n), 10n ** 9999n];
    for (const value of values) assert.equal(roundTrip(value), value);
    assert.equal(text(jsonCodec.encode({ id: 123n })), '{"id":{"$bigint":"123"}}');
    assert.deepEqual(roundTrip({ a: 1, b: 'hello', c: [1, 2, 3], id: 123n }), { a: 1, b: 'hello', c: [1, 2, 3], id: 123n });
    assert.deepEqual(roundTrip([1n, [2n, { x: -3n }]]), [1n, [2n, { x: -3n }]]);
  });

  test('user objects that look like tags round-trip unchanged (escaped)', () => {
    const lookalikes = [
      { $bigint: '123' },
      { $bigint: 123n },
      { $object: { a: 1 } },
      { $object: { $bigint: '5' } },
      { $bigint: '1', other: 2 },
      { other: 2, $bigint: '1' },
      { $bigint: '1', gone: undefined },
      { $bigints: '1' },
      [{ $object: [] }, { $bigint: null }],
    ];
    for (const value of lookalikes) {
      const expected = JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)));
      const back = roundTrip(value);
      assert.deepEqual(JSON.parse(JSON.stringify(back, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))), expected);
    }
    assert.deepEqual(roundTrip({ $bigint: '123' }), { $bigint: '123' });
    assert.deepEqual(roundTrip({ $bigint: 123n }), { $bigint: 123n });
    assert.deepEqual(roundTrip({ $object: { $bigint: '5' } }), { $object: { $bigint: '5' } });
    assert.equal(text(jsonCodec.encode({ $bigint: '1' })), '{"$object":{"$bigint":"1"}}');
  });

  test('a null-prototype object is a plain object', () => {
    const value = Object.assign(Object.create(null) as object, { a: 1 });
    assert.deepEqual(roundTrip(value), { a: 1 });
  });

  test('an own __proto__ key round-trips as a key and never becomes a prototype', () => {
    const value = JSON.parse('{"__proto__":{"polluted":true},"a":1}') as object;
    const back = roundTrip(value) as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(back), Object.prototype);
    assert.deepEqual(Object.keys(back), ['__proto__', 'a']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    // Also when the decoder replaces its value (a bigint tag read back).
    const decoded = jsonCodec.decode(bytesOf('{"__proto__":{"$bigint":"5"}}')) as object;
    assert.equal(Object.getOwnPropertyDescriptor(decoded, '__proto__')?.value, 5n);
    assert.equal(Object.getPrototypeOf(decoded), Object.prototype);
  });

  test('the key order of objects is kept', () => {
    assert.deepEqual(Object.keys(roundTrip({ z: 1, a: 2, m: 3 }) as object), ['z', 'a', 'm']);
  });
});

describe('jsonCodec decisions', () => {
  test('undefined object properties are left out, like absent optional properties', () => {
    assert.equal(text(jsonCodec.encode({ a: 1, b: undefined })), '{"a":1}');
    assert.deepEqual(roundTrip({ a: undefined }), {});
  });

  test('-0 becomes 0', () => {
    assert.ok(Object.is(roundTrip(-0), 0));
    assert.ok(Object.is((roundTrip([-0]) as number[])[0], 0));
  });

  test('a message that is undefined as a whole is the empty payload, and back', () => {
    assert.equal(jsonCodec.encode(undefined).length, 0);
    assert.equal(jsonCodec.decode(new Uint8Array(0)), undefined);
  });

  test('symbol-keyed and non-enumerable properties are left out, as JSON.stringify does', () => {
    const value: Record<PropertyKey, unknown> = { a: 1, [Symbol('meta')]: 2 };
    Object.defineProperty(value, 'hidden', { value: 3, enumerable: false });
    assert.equal(text(jsonCodec.encode(value)), '{"a":1}');
  });

  test('a getter is read once', () => {
    let reads = 0;
    const value = {
      get x(): number {
        reads++;
        return 7;
      },
    };
    assert.deepEqual(roundTrip(value), { x: 7 });
    assert.equal(reads, 1);
  });

  test('the encoded bytes are a fresh array each time', () => {
    const a = jsonCodec.encode({ a: 1 });
    const b = jsonCodec.encode({ b: 2 });
    assert.equal(text(a), '{"a":1}');
    assert.equal(a.byteLength, a.buffer.byteLength);
    assert.notEqual(a.buffer, b.buffer);
  });

  test('encodeTransient gives the same bytes in place, valid until the next call', () => {
    const value = { id: 12n, name: 'x', list: [1, 2] };
    const transient = jsonCodec.encodeTransient!(value);
    assert.deepEqual([...transient], [...jsonCodec.encode(value)]);
    const kept = text(transient);
    // The same buffer is written by the next encode: whoever gets transient bytes copies them at once.
    const again = jsonCodec.encodeTransient!({ other: true });
    assert.equal(again.buffer, transient.buffer);
    assert.notEqual(text(transient), kept);
    assert.equal(jsonCodec.encodeTransient!(undefined).length, 0);
    assert.throws(() => jsonCodec.encodeTransient!(new Map()), CodecError);
  });
});

describe('jsonCodec refuses what JSON would change, naming the path', () => {
  class Point {
    constructor(readonly x: number) {}
  }
  const cases: [string, unknown, RegExp, string][] = [
    ['Map', { users: [{}, {}, { tags: new Map() }] }, /cannot encode a Map at \$\.users\[2\]\.tags: JSON would turn it into \{\}/, '$.users[2].tags'],
    ['Set', [new Set([1])], /a Set at \$\[0\]/, '$[0]'],
    ['undefined in an array', { c: [1, undefined] }, /undefined at \$\.c\[1\]: an array element/, '$.c[1]'],
    // eslint-disable-next-line no-sparse-arrays
    ['a hole', [1, , 3], /undefined at \$\[1\]: .*hole/, '$[1]'],
    ['NaN', { x: NaN }, /NaN at \$\.x: JSON would turn it into null/, '$.x'],
    ['Infinity', [Infinity], /Infinity at \$\[0\]/, '$[0]'],
    ['-Infinity', { 'odd key': -Infinity }, /-Infinity at \$\["odd key"\]/, '$["odd key"]'],
    ['a function', { f: () => 1 }, /a function at \$\.f/, '$.f'],
    ['a symbol', { s: Symbol('x') }, /a symbol at \$\.s/, '$.s'],
    ['a Date', { when: new Date(0) }, /a Date at \$\.when: JSON would turn it into a string/, '$.when'],
    ['a class instance', { p: new Point(1) }, /an instance of Point at \$\.p: .*lose its class/, '$.p'],
    ['a Uint8Array', new Uint8Array(2), /a Uint8Array at \$: .*object of indices/, '$'],
    ['an Int8Array', { b: new Int8Array(2) }, /an Int8Array at \$\.b/, '$.b'],
    ['a Buffer', { b: Buffer.from('x') }, /a Buffer at \$\.b: .*"type":"Buffer"/, '$.b'],
    ['an Error', { e: new TypeError('x') }, /a TypeError at \$\.e/, '$.e'],
    ['a RegExp', [/x/], /a RegExp at \$\[0\]/, '$[0]'],
    ['a boxed number', { n: Object(1) as unknown }, /a boxed Number at \$\.n/, '$.n'],
    ['a Promise', { p: Promise.resolve() }, /a Promise at \$\.p/, '$.p'],
    ['an Array subclass', { a: new (class Tuple extends Array {})() }, /an array of class Tuple at \$\.a/, '$.a'],
    ['a function top level', () => 1, /a function at \$:/, '$'],
    ['a too long bigint', { n: 10n ** 10000n }, /a bigint of 10001 digits at \$\.n: the limit is 10000/, '$.n'],
  ];
  for (const [name, value, message, path] of cases) {
    test(name, () => {
      assertCodecError(() => jsonCodec.encode(value), message, path);
    });
  }

  test('a class instance with no constructor name', () => {
    const instance = Object.create({}) as object;
    assertCodecError(() => jsonCodec.encode({ x: instance }), /an instance of Object at \$\.x/);
    const anonymous = new (class {})();
    assertCodecError(() => jsonCodec.encode({ x: anonymous }), /an instance of anonymous class at \$\.x/);
  });

  test('a circular structure names the shortest way round', () => {
    const a: Record<string, unknown> = { name: 'a' };
    const b: Record<string, unknown> = { up: a };
    a.child = b;
    assertCodecError(() => jsonCodec.encode({ root: a }), /circular structure: \$\.root\.child\.up refers back to \$\.root$/);
    const self: unknown[] = [];
    self.push(self);
    assertCodecError(() => jsonCodec.encode(self), /circular structure: \$\[0\] refers back to \$$/);
  });

  test('a shared (not circular) object is written twice', () => {
    const shared = { x: 1 };
    assert.deepEqual(roundTrip([shared, shared]), [{ x: 1 }, { x: 1 }]);
  });

  test('a getter or proxy that throws gives a CodecError with the path and the cause', () => {
    const boom = new Error('boom');
    const value = {
      list: [
        {
          get bad(): number {
            throw boom;
          },
        },
      ],
    };
    const err = assertCodecError(() => jsonCodec.encode(value), /cannot encode \$\.list\[0\]\.bad: reading it threw: boom/, '$.list[0].bad');
    assert.equal(err.cause, boom);
    const proxy = new Proxy({}, { ownKeys: () => { throw new Error('trap'); } });
    assertCodecError(() => jsonCodec.encode({ p: proxy }), /reading it threw: trap/);
  });
});

describe('jsonCodec limits', () => {
  const nested = (depth: number): unknown => {
    let value: unknown = 0;
    for (let i = 0; i < depth; i++) value = [value];
    return value;
  };
  const nestedText = (depth: number): string => `${'['.repeat(depth)}0${']'.repeat(depth)}`;

  test('1000 levels of nesting are fine both ways', () => {
    const value = nested(1000);
    assert.equal(text(jsonCodec.encode(value)), nestedText(1000));
    assert.deepEqual(jsonCodec.decode(bytesOf(nestedText(1000))), value);
  });

  test('1001 levels are refused both ways', () => {
    assertCodecError(() => jsonCodec.encode(nested(1001)), /nested deeper than 1000 arrays and objects/);
    const err = assertCodecError(() => jsonCodec.decode(bytesOf(nestedText(1001))), /cannot decode \$\[0\]\[0\].*….*\[0\]: nested deeper than 1000/);
    // The message shows the ends of a long path; the path itself is whole.
    assert.equal(err.path, `$${'[0]'.repeat(1000)}`);
    assert.ok(err.message.length < 300);
  });

  test('100 000 levels give a CodecError, not a stack overflow', () => {
    assertCodecError(() => jsonCodec.encode(nested(100_000)), /nested deeper than 1000/);
    assertCodecError(() => jsonCodec.decode(bytesOf(nestedText(100_000))), /nested deeper than 1000/);
    const objects = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
    assertCodecError(() => jsonCodec.decode(bytesOf(objects)), /nested deeper than 1000/);
  });

  test('a stack overflow while encoding becomes a CodecError', () => {
    // Stands for a caller that was already deep in the call stack when it called encode.
    const value = {
      a: {
        get b(): number {
          throw new RangeError('Maximum call stack size exceeded');
        },
      },
    };
    assertCodecError(() => jsonCodec.encode(value), /cannot encode \$\.a\.b: the call stack ran out/, '$.a.b');
  });

  test('a huge number of keys, both ways', () => {
    const value: Record<string, number> = {};
    for (let i = 0; i < 200_000; i++) value[`k${i}`] = i;
    const back = roundTrip(value) as Record<string, number>;
    assert.equal(Object.keys(back).length, 200_000);
    assert.equal(back.k199999, 199_999);
  });

  test('bigints longer than 10 000 digits are refused when decoding too', () => {
    assert.equal(roundTrip(-(10n ** 9999n)), -(10n ** 9999n));
    assertCodecError(() => jsonCodec.decode(bytesOf(`{"$bigint":"${'9'.repeat(10_001)}"}`)), /a bigint of 10001 digits/, '$');
  });
});

describe('jsonCodec refuses bytes it cannot read', () => {
  const cases: [string, Uint8Array, RegExp][] = [
    ['malformed UTF-8', new Uint8Array([0x22, 0xff, 0x22]), /not valid UTF-8/],
    ['a truncated multi-byte character', new Uint8Array([0x22, 0xe4, 0xb8]), /not valid UTF-8/],
    ['an encoded surrogate', new Uint8Array([0x22, 0xed, 0xa0, 0x80, 0x22]), /not valid UTF-8/],
    ['invalid JSON', bytesOf('{a:1}'), /invalid JSON/],
    ['truncated JSON', bytesOf('{"a":[1,2'), /invalid JSON/],
    ['trailing garbage', bytesOf('{"a":1} x'), /invalid JSON/],
    ['whitespace only', bytesOf('   '), /invalid JSON/],
    ['a malformed bigint tag', bytesOf('{"x":{"$bigint":"12a"}}'), /cannot decode \$\.x: a \$bigint tag holds a string of decimal digits, not "12a"/],
    ['a non-canonical bigint', bytesOf('{"$bigint":"007"}'), /decimal digits/],
    ['a bigint tag holding a number', bytesOf('[{"$bigint":12}]'), /cannot decode \$\[0\]: .* not 12/],
    ['a bigint tag holding an array', bytesOf('{"$bigint":[1]}'), /not an array/],
    ['an object tag holding an array', bytesOf('{"y":{"$object":[1]}}'), /cannot decode \$\.y: an \$object tag holds an object, not an array/],
    ['an object tag holding null', bytesOf('{"$object":null}'), /not null/],
  ];
  for (const [name, bytes, message] of cases) {
    test(name, () => {
      assertCodecError(() => jsonCodec.decode(bytes), message);
    });
  }

  test('the error message of a long malformed tag is short', () => {
    const err = assertCodecError(() => jsonCodec.decode(bytesOf(`{"$bigint":"${'x'.repeat(100_000)}"}`)), /decimal digits/);
    assert.ok(err.message.length < 200);
  });

  test('a byte-order mark is accepted', () => {
    assert.deepEqual(jsonCodec.decode(new Uint8Array([0xef, 0xbb, 0xbf, ...bytesOf('[1]')])), [1]);
  });

  test('a value that is not a Uint8Array', () => {
    for (const bad of ['{}', null, undefined, 12, [1, 2], new ArrayBuffer(2)]) {
      assertCodecError(() => jsonCodec.decode(bad as unknown as Uint8Array), /the JSON codec decodes a Uint8Array/);
    }
  });

  test('a Buffer and a view into a larger buffer decode their own bytes only', () => {
    assert.deepEqual(jsonCodec.decode(Buffer.from('[1,2]')), [1, 2]);
    const big = bytesOf('xx[3]yy');
    assert.deepEqual(jsonCodec.decode(big.subarray(2, 5)), [3]);
  });

  test('an unknown $-key or a tag name among other keys is plain data', () => {
    assert.deepEqual(jsonCodec.decode(bytesOf('{"$date":"x"}')), { $date: 'x' });
    assert.deepEqual(jsonCodec.decode(bytesOf('{"$bigint":"1","b":{"$bigint":"2"}}')), { $bigint: '1', b: 2n });
  });
});
