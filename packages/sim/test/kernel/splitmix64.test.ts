// SplitMix64 on 32-bit halves gives the values of the BigInt formula it replaced: the generator's
// seeding and the run's seed sequence (every trace hash depends on them).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SimRng } from '../../src/kernel/rng.js';
import { splitMix64At } from '../../src/kernel/splitmix64.js';

const MASK = (1n << 64n) - 1n;
const GAMMA = 0x9e3779b97f4a7c15n;

function reference(state: bigint): [bigint, bigint] {
  const next = (state + GAMMA) & MASK;
  let z = next;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK;
  return [next, z ^ (z >> 31n)];
}

/** The generator's four state words as the BigInt seeding computed them. */
function referenceWords(seed: bigint): number[] {
  const [afterA, a] = reference(seed);
  const [, b] = reference(afterA);
  const words: number[] = [a & 0xffffffffn, a >> 32n, b & 0xffffffffn, b >> 32n].map((w) => Number(w) | 0);
  if (words.every((w) => w === 0)) return [1, 0, 0, 0];
  return words;
}

function seeds(): bigint[] {
  const out = [0n, 1n, MASK, 0x8000000000000000n, 0xffffffffn, 0x100000000n, MASK - GAMMA, 0x6d6f6f6e706f6f6cn];
  let s = 0x243f6a8885a308d3n;
  for (let i = 0; i < 500; i++) {
    s = (s * 6364136223846793005n + 1442695040888963407n) & MASK;
    out.push(s, s >> BigInt(i % 64));
  }
  return out;
}

describe('SplitMix64 on 32-bit halves', () => {
  it('seeds the generator exactly as the BigInt formula', () => {
    for (const seed of seeds()) assert.deepEqual(new SimRng(seed).stateWords(), referenceWords(seed), `seed ${seed}`);
  });

  it('gives the seed sequence of the BigInt formula', () => {
    for (const base of seeds().slice(0, 60)) {
      for (const i of [0, 1, 2, 7, 1000, 123_456, 2 ** 32 - 1, 2 ** 32, 2 ** 40 + 3]) {
        const expected = reference((base + BigInt(i) * GAMMA) & MASK)[1];
        assert.equal(splitMix64At(base, i), expected, `base ${base}, i ${i}`);
      }
    }
  });
});
