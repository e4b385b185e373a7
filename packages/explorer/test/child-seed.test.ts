// Child seeds computed on 32-bit halves are the values of the BigInt formula they replace.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { childSeed } from '../src/child-seed.js';

const MASK = (1n << 64n) - 1n;
const PRIME = 0x100000001b3n;

/** The reference: FNV-1a-64 in BigInt, as the seeds were computed before. */
function reference(mark: string, parentSeed: bigint, index: number): bigint {
  let h = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(mark)) h = ((h ^ BigInt(byte)) * PRIME) & MASK;
  h = ((h ^ parentSeed) * PRIME) & MASK;
  return ((h ^ BigInt(index)) * PRIME) & MASK;
}

describe('childSeed', () => {
  it('equals the BigInt formula over marks, seeds and indices', () => {
    const marks = ['', 'a', 'dungeon bug: treasure found on floor 8', 'été ✓ 🐉', 'x'.repeat(300)];
    const seeds = [0n, 1n, MASK, 0x8000000000000000n, 0xffffffffn, 0x100000000n, 0x6d6f6f6e706f6f6cn];
    let s = 0x243f6a8885a308d3n;
    for (let i = 0; i < 200; i++) {
      s = (s * 6364136223846793005n + 1442695040888963407n) & MASK;
      seeds.push(s);
    }
    for (const mark of marks) {
      for (const seed of seeds) {
        for (const index of [0, 1, 29, 999, 2 ** 31, 2 ** 32 - 1, 2 ** 32 + 5]) {
          assert.equal(childSeed(mark, seed, index), reference(mark, seed, index), `${mark} ${seed} ${index}`);
        }
      }
    }
  });
});
