import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UID, WELL_KNOWN_TOKEN_COUNT, wellKnownUid, WellKnownToken } from '@moonpool/core';
import { EndpointMap } from '../../src/index.js';

const U64_MAX = (1n << 64n) - 1n;

describe('EndpointMap', () => {
  describe('well-known tokens', () => {
    test('are found by their UID, whatever UID object carries it', () => {
      const map = new EndpointMap<string>();
      map.registerWellKnown(WellKnownToken.Ping, 'ping');
      map.registerWellKnown(WELL_KNOWN_TOKEN_COUNT - 1, 'last');
      assert.equal(map.get(wellKnownUid(WellKnownToken.Ping)), 'ping');
      assert.equal(map.get(new UID(U64_MAX, 1n)), 'ping');
      assert.equal(map.get(new UID(U64_MAX, 63n)), 'last');
      assert.equal(map.get(wellKnownUid(WellKnownToken.EndpointNotFound)), undefined);
      assert.equal(map.size, 0, 'size counts dynamic entries only');
    });

    test('an index outside 0..63 or not an integer is a RangeError naming it', () => {
      const map = new EndpointMap<string>();
      for (const index of [-1, 64, 1.5, Number.NaN]) {
        assert.throws(() => map.registerWellKnown(index, 'x'), (err: unknown) =>
          err instanceof RangeError && err.message.includes(`got ${String(index)}`) && err.message.includes('0..63'),
        );
      }
    });

    test('an index can be registered once', () => {
      const map = new EndpointMap<string>();
      map.registerWellKnown(3, 'a');
      assert.throws(() => map.registerWellKnown(3, 'b'), /well-known token 3 is already registered/);
      assert.equal(map.get(wellKnownUid(3)), 'a');
    });

    test('cannot be removed, registered or not', () => {
      const map = new EndpointMap<string>();
      map.registerWellKnown(1, 'ping');
      assert.throws(() => map.remove(wellKnownUid(1)), /well-known token .* cannot be removed/);
      assert.throws(() => map.remove(wellKnownUid(5)), /cannot be removed/);
      assert.equal(map.get(wellKnownUid(1)), 'ping');
    });

    test('a UID with first = 2^64 - 1 and second past the range finds nothing and cannot be registered', () => {
      const map = new EndpointMap<string>();
      const outside = new UID(U64_MAX, 64n);
      assert.equal(map.get(outside), undefined);
      assert.equal(map.get(new UID(U64_MAX, U64_MAX)), undefined);
      assert.throws(() => map.register(outside, 'x'), (err: unknown) =>
        err instanceof RangeError && /well-known range .*registerWellKnown/.test(err.message),
      );
    });
  });

  describe('dynamic tokens', () => {
    test('register, get (by value, not by object), remove', () => {
      const map = new EndpointMap<number>();
      map.register(new UID(1n, 2n), 12);
      map.register(new UID(2n, 1n), 21);
      map.register(new UID(0n, 0n), 0);
      assert.equal(map.size, 3);
      assert.equal(map.get(new UID(1n, 2n)), 12);
      assert.equal(map.get(new UID(2n, 1n)), 21);
      assert.equal(map.get(new UID(0n, 0n)), 0);
      assert.equal(map.get(new UID(1n, 1n)), undefined);
      assert.equal(map.remove(new UID(1n, 2n)), true);
      assert.equal(map.remove(new UID(1n, 2n)), false);
      assert.equal(map.get(new UID(1n, 2n)), undefined);
      assert.equal(map.size, 2);
    });

    test('halves are not confused: (a, b) and (b, a), and the extremes, are different tokens', () => {
      const map = new EndpointMap<string>();
      const tokens = [new UID(0n, U64_MAX), new UID(U64_MAX - 1n, 0n), new UID(1n, 0n), new UID(0n, 1n)];
      tokens.forEach((t, i) => map.register(t, `t${i}`));
      tokens.forEach((t, i) => assert.equal(map.get(new UID(t.first, t.second)), `t${i}`));
    });

    test('a token registered twice is an error naming it; the first receiver stays', () => {
      const map = new EndpointMap<string>();
      const token = new UID(0xabcn, 7n);
      map.register(token, 'first');
      assert.throws(() => map.register(new UID(0xabcn, 7n), 'second'), new RegExp(`token ${token.toString()} is already registered`));
      assert.equal(map.get(token), 'first');
    });

    test('a removed token can be registered again', () => {
      const map = new EndpointMap<string>();
      const token = new UID(5n, 5n);
      map.register(token, 'a');
      map.remove(token);
      map.register(token, 'b');
      assert.equal(map.get(token), 'b');
    });

    test('100 000 entries: all found, then all removed', () => {
      const map = new EndpointMap<number>();
      const token = (i: number) => new UID(BigInt(i) * 0x9e3779b97f4a7c15n % U64_MAX, BigInt(i));
      for (let i = 0; i < 100_000; i++) map.register(token(i), i);
      assert.equal(map.size, 100_000);
      for (let i = 0; i < 100_000; i += 7) assert.equal(map.get(token(i)), i);
      for (let i = 0; i < 100_000; i++) assert.equal(map.remove(token(i)), true);
      assert.equal(map.size, 0);
    });
  });
});
