// Small byte arrays carved from shared slabs. In V8 every `new Uint8Array(n)` over 64 bytes gets a
// backing store of its own, which costs about 1 µs once it survives a young collection (measured
// with Node 20): more than framing and checksumming a 100-byte packet. A view on a shared slab costs
// about 50 ns. The price: an array keeps its whole slab alive, and its `buffer` is shared, so it must
// never be transferred or detached. Slab memory is never reused, so a new array is always zeroed.

const SLAB_SIZE = 32 * 1024;
/** Larger arrays get a buffer of their own (the slab would waste too much at its end). */
const LARGEST_POOLED = 2 * 1024;

let slab = new ArrayBuffer(SLAB_SIZE);
let used = 0;

/** A zeroed `Uint8Array` of `size` bytes whose buffer may be shared with other arrays. */
export function allocateBytes(size: number): Uint8Array {
  if (size > LARGEST_POOLED) return new Uint8Array(size);
  if (used + size > SLAB_SIZE) {
    slab = new ArrayBuffer(SLAB_SIZE);
    used = 0;
  }
  const bytes = new Uint8Array(slab, used, size);
  used = (used + size + 7) & ~7; // keep every array 8-byte aligned
  return bytes;
}
