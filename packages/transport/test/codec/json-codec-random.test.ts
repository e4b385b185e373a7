// Random messages and random bytes, from a fixed seed: every value the codec accepts comes back
// equal, and no input makes decode throw anything but CodecError.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CodecError, jsonCodec } from '../../src/index.js';

/** A small seeded generator (mulberry32), so a failure replays. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEYS = ['a', 'id', '$bigint', '$object', '$x', '__proto__', '', '0x', 'é', 'with space', 'k"q'];
const STRINGS = ['', 'hello', '"', '\\', '\u0000', '\ud800', '😀', '$bigint', '{"$bigint":"1"}'];

function randomValue(next: () => number, depth: number): unknown {
  const kind = Math.floor(next() * (depth > 4 ? 6 : 9));
  switch (kind) {
    case 0: return null;
    case 1: return next() < 0.5;
    case 2: return [0, -1, 1.5, 1e300, -1e-300, 2 ** 53][Math.floor(next() * 6)];
    case 3: return STRINGS[Math.floor(next() * STRINGS.length)];
    case 4: return BigInt(Math.floor(next() * 1e6) - 5e5) * 10n ** BigInt(Math.floor(next() * 40));
    case 5: return `s${Math.floor(next() * 100)}`;
    case 6:
    case 7: {
      const object: Record<string, unknown> = {};
      const count = Math.floor(next() * 4);
      for (let i = 0; i < count; i++) {
        const key = KEYS[Math.floor(next() * KEYS.length)] as string;
        // Own data properties (as JSON.parse makes), so '__proto__' is a key, not the prototype.
        const value = randomValue(next, depth + 1);
        Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
      }
      return object;
    }
    default:
      return Array.from({ length: Math.floor(next() * 4) }, () => randomValue(next, depth + 1));
  }
}

test('2 000 random messages round-trip', () => {
  const next = generator(20240601);
  for (let i = 0; i < 2000; i++) {
    const value = randomValue(next, 0);
    const back = jsonCodec.decode(jsonCodec.encode(value));
    assert.deepEqual(back, value, `message ${i}`);
  }
});

test('mutated and random bytes decode to a value or a CodecError, nothing else', () => {
  const next = generator(7);
  let errors = 0;
  for (let i = 0; i < 3000; i++) {
    const bytes = jsonCodec.encode(randomValue(next, 0));
    const mutated = new Uint8Array(bytes.length + (next() < 0.2 ? 1 : 0));
    mutated.set(bytes);
    const flips = 1 + Math.floor(next() * 3);
    for (let f = 0; f < flips && mutated.length > 0; f++)
      mutated[Math.floor(next() * mutated.length)] = Math.floor(next() * 256);
    const cut = next() < 0.3 ? mutated.subarray(0, Math.floor(next() * mutated.length)) : mutated;
    try {
      jsonCodec.decode(cut);
    } catch (err) {
      assert.ok(err instanceof CodecError, `input ${i}: ${String(err)}`);
      errors++;
    }
  }
  assert.ok(errors > 500, `only ${errors} inputs were refused: the mutations are too weak`);
});
