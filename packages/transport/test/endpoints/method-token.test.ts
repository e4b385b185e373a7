import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UID } from '@moonpool/core';
import { methodToken } from '../../src/index.js';

const U64_MAX = (1n << 64n) - 1n;

test('a method token is UID(interface id, method index)', () => {
  assert.ok(methodToken(0xfeedn, 1).equals(new UID(0xfeedn, 1n)));
  assert.ok(methodToken(0n, 3).equals(new UID(0n, 3n)));
  assert.ok(methodToken(U64_MAX, Number.MAX_SAFE_INTEGER).equals(new UID(U64_MAX, BigInt(Number.MAX_SAFE_INTEGER))));
});

test('method indices of one interface give distinct tokens, and so do interfaces', () => {
  const seen = new Set<string>();
  for (const id of [1n, 2n, U64_MAX]) for (let m = 1; m <= 50; m++) seen.add(methodToken(id, m).toString());
  assert.equal(seen.size, 150);
});

test('index 0 (reserved), negatives and non-integers are RangeErrors naming the value', () => {
  for (const index of [0, -1, 1.5, Number.NaN, Infinity, 2 ** 53]) {
    assert.throws(
      () => methodToken(1n, index),
      (err: unknown) =>
        err instanceof RangeError && err.message.includes(`got ${String(index)}`) && err.message.includes('0 is reserved'),
    );
  }
});

test('an interface id outside u64 is a RangeError naming it', () => {
  for (const id of [-1n, U64_MAX + 1n]) {
    assert.throws(
      () => methodToken(id, 1),
      (err: unknown) => err instanceof RangeError && err.message.includes(`got ${id}`),
    );
  }
});

test('an interface id that is not a bigint is a TypeError', () => {
  assert.throws(() => methodToken(5 as unknown as bigint, 1), /interface id must be a bigint, got number 5/);
});
