import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UID } from '@moonpool/core';
import { defineService, isMethodDefinition, jsonCodec, type MessageCodec, method } from '../../src/index.js';

const Calculator = defineService({
  id: 0xca1cn,
  methods: {
    add: method<{ a: number; b: number }, { sum: number }>(),
    negate: method<{ n: number }, { n: number }>(),
    reset: method(),
  },
});

describe('defineService', () => {
  test('numbers the methods from 1 in declaration order, each with its token UID(id, index)', () => {
    assert.deepEqual(Calculator.methodList.map((m) => [m.name, m.index]), [['add', 1], ['negate', 2], ['reset', 3]]);
    assert.ok(Calculator.methods.negate.token.equals(new UID(0xca1cn, 2n)));
    assert.equal(Calculator.methods.add, Calculator.methodList[0]);
    assert.deepEqual(Object.keys(Calculator.methods), ['add', 'negate', 'reset']);
  });

  test('keeps the id, uses the JSON codec by default and names the service by its id', () => {
    assert.equal(Calculator.id, 0xca1cn);
    assert.equal(Calculator.codec, jsonCodec);
    assert.equal(Calculator.name, 'service 0xca1c');
    assert.equal(defineService({ id: 1n, name: 'Calc', methods: { a: method() } }).name, 'Calc');
  });

  test('takes another codec', () => {
    const codec: MessageCodec = { name: 'raw', encode: () => new Uint8Array(0), decode: () => null };
    assert.equal(defineService({ id: 1n, codec, methods: { a: method() } }).codec, codec);
  });

  test('is frozen all the way down', () => {
    assert.ok(Object.isFrozen(Calculator));
    assert.ok(Object.isFrozen(Calculator.methods));
    assert.ok(Object.isFrozen(Calculator.methodList));
    assert.ok(Calculator.methodList.every((m) => Object.isFrozen(m)));
    assert.throws(() => {
      (Calculator as { id: bigint }).id = 2n;
    }, TypeError);
  });

  test('the methods object has no prototype: a name like toString finds nothing', () => {
    assert.equal(Object.getPrototypeOf(Calculator.methods), null);
    assert.equal((Calculator.methods as Record<string, unknown>).toString, undefined);
  });

  test('a later version can extend an earlier one: the old methods keep their numbers', () => {
    const V2 = defineService({
      id: 0xca1cn,
      methods: { ...Calculator.methods, sqrt: method<{ x: number }, { y: number }>() },
    });
    assert.deepEqual(V2.methodList.map((m) => [m.name, m.index]), [['add', 1], ['negate', 2], ['reset', 3], ['sqrt', 4]]);
    assert.ok(isMethodDefinition(Calculator.methods.add));
  });

  test('the same method() may serve in several services and under several names', () => {
    const shared = method<string, string>();
    const service = defineService({ id: 5n, methods: { one: shared, two: shared } });
    assert.deepEqual(service.methodList.map((m) => m.index), [1, 2]);
  });

  test('ids 0 and 2^64 - 2 are fine', () => {
    assert.equal(defineService({ id: 0n, methods: { a: method() } }).methods.a.token.first, 0n);
    assert.equal(defineService({ id: (1n << 64n) - 2n, methods: { a: method() } }).id, (1n << 64n) - 2n);
  });
});

describe('defineService refuses', () => {
  const ok = { a: method() };
  const cases: [string, () => unknown, ErrorConstructor, RegExp][] = [
    ['no options', () => defineService(undefined as never), TypeError, /takes \{ id, methods, codec\?, name\? \}, not undefined/],
    ['an unknown option', () => defineService({ id: 1n, methods: ok, method: ok } as never), TypeError, /unknown option 'method'/],
    ['a number id', () => defineService({ id: 51740 as never, methods: ok }), TypeError, /id must be a bigint, such as 0xCA1Cn; got a number/],
    ['a negative id', () => defineService({ id: -1n, methods: ok }), RangeError, /id -1 is not an unsigned 64-bit integer/],
    ['an id of 2^64', () => defineService({ id: 1n << 64n, methods: ok }), RangeError, /not an unsigned 64-bit integer/],
    ['the well-known id 2^64 - 1', () => defineService({ id: (1n << 64n) - 1n, methods: ok }), RangeError, /reserved: .*well-known.*Ping/],
    ['no methods', () => defineService({ id: 1n, methods: {} }), TypeError, /service 0x1\): a service needs at least one method/],
    ['methods that are not an object', () => defineService({ id: 1n, methods: [method()] as never }), TypeError, /methods must be an object of method\(\) declarations; got an array/],
    ['methods of a class', () => defineService({ id: 1n, methods: new (class { a = method(); })() as never }), TypeError, /plain object/],
    ['a symbol method name', () => defineService({ id: 1n, methods: { [Symbol('s')]: method(), a: method() } }), TypeError, /not symbols/],
    ['an integer-like name', () => defineService({ id: 1n, methods: { add: method(), 12: method() } }), TypeError, /method name '12' looks like an integer\. JavaScript puts integer-like keys \('0', '12'\) first in an object, whatever order they were written in/],
    ['the name 0', () => defineService({ id: 1n, methods: { 0: method() } }), TypeError, /'0' looks like an integer/],
    ['a negative integer name', () => defineService({ id: 1n, methods: { '-1': method() } }), TypeError, /'-1' looks like an integer/],
    ['an empty name', () => defineService({ id: 1n, methods: { '': method() } }), TypeError, /must not be empty/],
    ['__proto__ as a name', () => defineService({ id: 1n, methods: { ['__proto__']: method() } }), TypeError, /'__proto__' cannot be a method name/],
    ['then as a name', () => defineService({ id: 1n, methods: { then: method() } }), TypeError, /'then' cannot be a method name: a client object/],
    ['method without ()', () => defineService({ id: 1n, methods: { add: method as never } }), TypeError, /methods\.add is not a method: declare it with method\(\).*did you write method instead of method\(\)\?/],
    ['a look-alike object', () => defineService({ id: 1n, methods: { add: { requestSchema: undefined, responseSchema: undefined } } }), TypeError, /methods\.add is not a method.*got an object/],
    ['a bad codec', () => defineService({ id: 1n, methods: ok, codec: { name: 'x' } as never }), TypeError, /codec must be a MessageCodec/],
    ['an empty name option', () => defineService({ id: 1n, methods: ok, name: '' }), TypeError, /name must be a non-empty string/],
  ];
  for (const [name, run, type, message] of cases) {
    test(name, () => {
      assert.throws(run, (err: unknown) => {
        assert.ok(err instanceof type, `${String(err)} is not a ${type.name}`);
        assert.match(err.message, message);
        return true;
      });
    });
  }
});
