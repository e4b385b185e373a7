// The trace hash itself: every bit of an event's time reaches both 32-bit halves, payload bytes and
// the generator's final state count, and small variations of a trace never collide.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventKind } from '../../src/kernel/event-kind.js';
import { SimRng } from '../../src/kernel/rng.js';
import { TraceHash, traceHashText } from '../../src/kernel/trace.js';

/** The hash of a short trace whose second event happens at `time`. */
function traceAt(time: number): string {
  const h = new TraceHash();
  h.add(1000, EventKind.Timer, 0, 3);
  h.add(time, EventKind.Timer, 1, 5);
  h.add(time, EventKind.NetworkDelivery, 2, 5);
  return h.hex();
}

function bytesHash(data: readonly number[]): string {
  const h = new TraceHash();
  h.add(10, EventKind.NetworkDelivery, 4, 2);
  h.addBytes(Uint8Array.from(data));
  return h.hex();
}

describe('TraceHash', () => {
  it('is 16 hex digits and the same for the same trace', () => {
    assert.match(traceAt(5000), /^[0-9a-f]{16}$/);
    assert.equal(traceAt(5000), traceAt(5000));
  });

  it('its text is the two words of its digest in hex, high word first, each padded to 8 digits', () => {
    const h = new TraceHash();
    h.add(1000, EventKind.Timer, 0, 3);
    const words = new Uint32Array(2);
    h.digest(words, 0);
    const hex = (n: number): string => n.toString(16).padStart(8, '0');
    assert.equal(h.hex(), hex(words[0] as number) + hex(words[1] as number));
    for (const [high, low] of [[0, 0], [1, 0xf], [0xffffffff, 0x80000000], [0x00ab00cd, 0x12345678]] as const) {
      assert.equal(traceHashText(high, low), hex(high) + hex(low));
    }
  });

  it('every bit of time, high ones included, changes both 32-bit halves', () => {
    const base = 2 ** 40 + 12345;
    const reference = traceAt(base);
    for (let bit = 0; bit < 53; bit++) {
      const flipped = base + (Math.floor(base / 2 ** bit) % 2 === 0 ? 2 ** bit : -(2 ** bit));
      const other = traceAt(flipped);
      assert.notEqual(other.slice(0, 8), reference.slice(0, 8), `time bit ${bit}: first half unchanged`);
      assert.notEqual(other.slice(8), reference.slice(8), `time bit ${bit}: second half unchanged`);
    }
  });

  it('kind, sequence number and RNG call count each count', () => {
    const hash = (kind: number, seq: number, calls: number): string => {
      const h = new TraceHash();
      h.add(77, kind, seq, calls);
      return h.hex();
    };
    const reference = hash(EventKind.Timer, 5, 9);
    assert.notEqual(hash(EventKind.Yield, 5, 9), reference);
    assert.notEqual(hash(EventKind.Timer, 6, 9), reference);
    assert.notEqual(hash(EventKind.Timer, 5, 10), reference);
  });

  it('payload bytes count: one byte, the order and the length', () => {
    const reference = bytesHash([1, 2, 3, 4, 5]);
    assert.notEqual(bytesHash([1, 2, 3, 4, 6]), reference, 'the last byte (a tail byte)');
    assert.notEqual(bytesHash([1, 2, 3, 5, 5]), reference, 'a byte of a whole word');
    assert.notEqual(bytesHash([2, 1, 3, 4, 5]), reference, 'the order');
    assert.notEqual(bytesHash([1, 2, 3, 4, 5, 0]), reference, 'a trailing zero byte');
    assert.notEqual(bytesHash([1, 2, 3, 4]), bytesHash([1, 2, 3, 4, 0, 0, 0, 0]), 'a zero word');
    assert.notEqual(bytesHash([]), new TraceHash().hex(), 'an empty payload');
  });

  it('the end of an iteration covers the generator: same draws, different seeds differ', () => {
    const end = (seed: bigint): string => {
      const h = new TraceHash();
      const rng = new SimRng(seed);
      rng.nextU32();
      h.addEnd(0, EventKind.IterationEnd, rng);
      return h.hex();
    };
    const hashes = new Set<string>();
    for (let seed = 0n; seed < 1000n; seed++) hashes.add(end(seed));
    assert.equal(hashes.size, 1000);
  });

  it('200 000 traces that differ in the time, order or count of a few events are all distinct', () => {
    const seen = new Set<string>();
    let n = 0;
    for (let variant = 0; variant < 50_000; variant++) {
      for (const shape of [0, 1, 2, 3]) {
        const h = new TraceHash();
        const events = 3 + shape;
        for (let e = 0; e < events; e++) {
          // A shared prefix, then one event whose time carries the variant (shape 3 moves it by 2^32).
          const time = e === 1 ? variant * (shape === 3 ? 2 ** 32 : 1) : 100 * e;
          h.add(time, shape === 2 && e === 0 ? EventKind.Yield : EventKind.Timer, e, e);
        }
        seen.add(h.hex());
        n++;
      }
    }
    assert.equal(seen.size, n);
  });
});
