/**
 * Which alternatives a cycle has tried: bits of a number for the first 32, which the load balancer
 * keeps in a local variable (a replica set is rarely larger), and a byte each past 32 (`beyond`, made
 * only for such a set). So a call allocates nothing for it: in a simulation, with many objects
 * alive, every young collection costs, and each allocation brings the next one closer.
 */
export function wasTried(i: number, low: number, beyond: Uint8Array | null): boolean {
  return i < 32 ? (low & (1 << i)) !== 0 : (beyond as Uint8Array)[i - 32] === 1;
}

/** `low` with `i` marked tried (past 32, `beyond` is marked in place). */
export function markTried(i: number, low: number, beyond: Uint8Array | null): number {
  if (i < 32) return low | (1 << i);
  (beyond as Uint8Array)[i - 32] = 1;
  return low;
}

/** The bytes for alternatives past the 32nd, or null when there are none. */
export function triedBeyond32(size: number): Uint8Array | null {
  return size > 32 ? new Uint8Array(size - 32) : null;
}
