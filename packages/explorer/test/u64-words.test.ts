// A bigint's 32-bit halves, taken apart and put together through memory, are the BigInt formula's.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { joinU64, splitU64, U64 } from '../src/u64-words.js';

const MASK = (1n << 64n) - 1n;

describe('splitU64 and joinU64', () => {
  it('give the high and low halves and back, the most significant half first', () => {
    const values = [0n, 1n, 0xffffffffn, 0x100000000n, 0x8000000000000000n, MASK, 0x0123456789abcdefn];
    let s = 0x243f6a8885a308d3n;
    for (let i = 0; i < 200; i++) {
      s = (s * 6364136223846793005n + 1442695040888963407n) & MASK;
      values.push(s);
    }
    for (const value of values) {
      splitU64(value);
      assert.equal(U64.hi, Number(value >> 32n), `hi of ${value}`);
      assert.equal(U64.lo, Number(value & 0xffffffffn), `lo of ${value}`);
      assert.equal(joinU64(U64.hi, U64.lo), value);
    }
  });
});
