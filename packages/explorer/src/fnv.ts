const OFFSET_32 = 0x811c9dc5;
const PRIME_32 = 0x01000193;

/**
 * 32-bit FNV-1a over the UTF-8 bytes of `text` (lone surrogates as U+FFFD, like TextEncoder).
 * Encodes on the fly so hashing allocates nothing.
 */
export function fnv1a32(text: string): number {
  let h = OFFSET_32;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      h = Math.imul(h ^ c, PRIME_32);
      continue;
    }
    if (c < 0x800) {
      h = Math.imul(h ^ (0xc0 | (c >> 6)), PRIME_32);
      h = Math.imul(h ^ (0x80 | (c & 0x3f)), PRIME_32);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const low = i + 1 < n ? text.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && low >= 0xdc00 && low <= 0xdfff) {
        const cp = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
        i++;
        h = Math.imul(h ^ (0xf0 | (cp >> 18)), PRIME_32);
        h = Math.imul(h ^ (0x80 | ((cp >> 12) & 0x3f)), PRIME_32);
        h = Math.imul(h ^ (0x80 | ((cp >> 6) & 0x3f)), PRIME_32);
        h = Math.imul(h ^ (0x80 | (cp & 0x3f)), PRIME_32);
        continue;
      }
      c = 0xfffd;
    }
    h = Math.imul(h ^ (0xe0 | (c >> 12)), PRIME_32);
    h = Math.imul(h ^ (0x80 | ((c >> 6) & 0x3f)), PRIME_32);
    h = Math.imul(h ^ (0x80 | (c & 0x3f)), PRIME_32);
  }
  return h >>> 0;
}
