/**
 * Running hash of the processed event sequence (time, kind, sequence number, RNG call count):
 * two independent 32-bit lanes, so the per-event cost stays in small-integer arithmetic.
 */
export class TraceHash {
  private a = 0x811c9dc5 | 0;
  private b = 0x5bd1e995 | 0;

  add(time: number, kind: number, seq: number, rngCalls: number): void {
    // `>>> 0` keeps the low 32 bits of any safe integer; the high part is zero for the first 71 minutes.
    const high = time > 0xffffffff ? Math.floor(time / 4294967296) : 0;
    this.a = mix(this.a, time >>> 0, kind, seq, rngCalls);
    this.b = mix(this.b, high, rngCalls, kind, seq ^ 0x9e3779b9);
  }

  hex(): string {
    return (
      (this.a >>> 0).toString(16).padStart(8, '0') + (this.b >>> 0).toString(16).padStart(8, '0')
    );
  }
}

function mix(h: number, w: number, x: number, y: number, z: number): number {
  h = Math.imul(h ^ w, 0x01000193);
  h = Math.imul(h ^ x, 0x85ebca6b);
  h = Math.imul(h ^ y, 0xc2b2ae35);
  h = Math.imul(h ^ z, 0x27d4eb2f);
  return h ^ (h >>> 15);
}
