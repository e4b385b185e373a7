import type { SimRng } from './rng.js';

/**
 * Running 64-bit hash of what an iteration did: every processed event (time, kind, sequence number,
 * RNG call count), the bytes the network delivers and storage writes, and the generator's final
 * state. The state is two 32-bit lanes that every input word enters and that feed each other, so
 * all 64 bits depend on every input; only `Math.imul` arithmetic, no allocation.
 *
 * Each step is a bijection of the state for a fixed word and injective in the word for a fixed
 * state, so two sequences of the same length that differ in a single word never collide.
 */
export class TraceHash {
  private a = 0x243f6a88 | 0;
  private b = 0x85a308d3 | 0;

  add(time: number, kind: number, seq: number, rngCalls: number): void {
    // Time is a safe integer: `>>> 0` keeps its low 32 bits, the division its high 21, which share
    // a word with the kind (a small number).
    const high = time > 0xffffffff ? (time / 4294967296) | 0 : 0;
    this.word(time >>> 0);
    this.word(high ^ (kind << 21));
    this.word(seq);
    this.word(rngCalls);
  }

  /** Mixes a non-negative safe integer (a file offset, say). */
  addInteger(n: number): void {
    this.word(n >>> 0);
    this.word(n > 0xffffffff ? (n / 4294967296) | 0 : 0);
  }

  /** Mixes a byte payload (its length, then its bytes four at a time). */
  addBytes(data: Uint8Array): void {
    const n = data.length;
    this.word(n);
    const whole = n & ~3;
    let i = 0;
    for (; i < whole; i += 4) {
      const w = (data[i] as number) | ((data[i + 1] as number) << 8) | ((data[i + 2] as number) << 16);
      this.word(w | ((data[i + 3] as number) << 24));
    }
    if (i < n) {
      let last = 0;
      for (let shift = 0; i < n; i++, shift += 8) last |= (data[i] as number) << shift;
      this.word(last);
    }
  }

  /** The end of the iteration: its time, the generator's draws and its final state. */
  addEnd(time: number, kind: number, rng: SimRng): void {
    this.add(time, kind, 0, rng.totalCalls);
    this.word(rng.calls);
    const [s0, s1, s2, s3] = rng.stateWords();
    this.word(s0);
    this.word(s1);
    this.word(s2);
    this.word(s3);
  }

  /** Copies the running state (two words) into `out` at `at`: per-event checkpoints without allocation. */
  copyState(out: Int32Array, at: number): void {
    out[at] = this.a;
    out[at + 1] = this.b;
  }

  /** The 64 bits as 16 hex digits, after a final mix (the running state is left as it is). */
  hex(): string {
    this.digest(DIGEST, 0);
    return traceHashText(DIGEST[0] as number, DIGEST[1] as number);
  }

  /**
   * The 64 bits `hex` writes, as two 32-bit words (high first) into `out` at `at`: a report column
   * stores them without building the text.
   */
  digest(out: Uint32Array, at: number): void {
    let a = this.a;
    let b = this.b;
    a = fmix(a ^ Math.imul(b, 0x9e3779b1));
    b = fmix(b + a);
    a = fmix(a ^ b);
    out[at] = a >>> 0;
    out[at + 1] = b >>> 0;
  }

  private word(w: number): void {
    let a = Math.imul(this.a ^ w, 0x9e3779b1);
    let b = Math.imul(this.b ^ w, 0x85ebca77);
    a = (a << 13) | (a >>> 19);
    b = (b << 17) | (b >>> 15);
    // Cross-feed (invertible given the word): each lane ends up depending on the other's history.
    a = (a + b) | 0;
    this.a = a;
    this.b = b ^ a;
  }
}

const DIGEST = new Uint32Array(2);

/** The two hex digits of every byte: a word's text from four reads, many times faster than `toString(16)`. */
const BYTE_HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** A trace hash as `hex` gives it, from the two words `digest` writes (high first). */
export function traceHashText(high: number, low: number): string {
  return hex32(high) + hex32(low);
}

function hex32(n: number): string {
  return (
    (BYTE_HEX[n >>> 24] as string) +
    (BYTE_HEX[(n >>> 16) & 255] as string) +
    (BYTE_HEX[(n >>> 8) & 255] as string) +
    (BYTE_HEX[n & 255] as string)
  );
}

/** MurmurHash3's 32-bit finaliser: every input bit flips each output bit with probability ~1/2. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
