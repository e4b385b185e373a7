// The conventions of the JSON codec's text that plain JSON lacks, shared by its encoder and decoder.

/** `{"$bigint":"-123"}` stands for the bigint -123n (decimal digits, optional minus sign). */
export const BIGINT_TAG = '$bigint';

/**
 * `{"$object":{...}}` stands for the object inside, taken literally: it escapes a user object whose
 * only key is one of the tag names, so that such an object round-trips instead of being read as a tag.
 */
export const OBJECT_TAG = '$object';

/** Whether an object with this single key is read as a tag. */
export function isTagKey(key: string): boolean {
  return key.charCodeAt(0) === 36 /* $ */ && (key === BIGINT_TAG || key === OBJECT_TAG);
}

/**
 * The deepest nesting of arrays and objects accepted, both ways. Generous for any real message,
 * shallow enough for the recursive walks to stay far from the call stack's limit.
 */
export const MAX_DEPTH = 1000;

/**
 * The longest bigint accepted, in decimal digits (about 33 000 bits), both ways. Decimal
 * conversion costs time quadratic in the length: a single megabyte-long bigint would take a
 * tenth of a second to read, so an untrusted peer could stall a server with a few of them.
 */
export const MAX_BIGINT_DIGITS = 10_000;

/** The canonical decimal form the encoder writes: no leading zeros, no plus sign, no `-0`. */
export const BIGINT_TEXT = /^-?(?:0|[1-9][0-9]*)$/;
