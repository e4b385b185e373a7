import { CodecError } from './codec-error.js';
import { reviveJsonValue } from './json-decode.js';
import { encodeJson } from './json-encode.js';
import type { MessageCodec } from './message-codec.js';

// fatal: invalid UTF-8 is an error, not silently replaced by U+FFFD.
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });
const EMPTY = new Uint8Array(0);

/**
 * The default codec: UTF-8 JSON that keeps what JSON alone would lose or refuse.
 * - `bigint` round-trips as `{"$bigint":"123"}`; a user object whose only key is `$bigint` or
 *   `$object` is escaped as `{"$object":{...}}`, so it round-trips too.
 * - Values JSON would silently change are refused with a `CodecError` naming their path: `Map`,
 *   `Set`, `undefined` in arrays (and holes), `NaN` and `±Infinity`, functions, symbols, objects
 *   whose prototype is neither `Object.prototype` nor `null` (`Date`, class instances, typed
 *   arrays, `Buffer`…), arrays of a class other than `Array`, and circular structures.
 * - Left out, as by `JSON.stringify`: object properties that are `undefined` (an absent optional
 *   property), symbol-keyed and non-enumerable properties. `-0` becomes `0`. A message that is
 *   `undefined` as a whole is the empty payload (a method without a result).
 * - Nesting is limited to 1000 arrays and objects and bigints to 10 000 digits, both ways.
 */
export const jsonCodec: MessageCodec = Object.freeze({
  name: 'json',

  encode(value: unknown): Uint8Array {
    if (value === undefined) return EMPTY;
    return encodeJson(value);
  },

  encodeTransient(value: unknown): Uint8Array {
    if (value === undefined) return EMPTY;
    return encodeJson(value, true);
  },

  decode(bytes: Uint8Array): unknown {
    if (!(bytes instanceof Uint8Array))
      throw new CodecError(`cannot decode ${describeInput(bytes)}: the JSON codec decodes a Uint8Array`);
    if (bytes.length === 0) return undefined;
    let text: string;
    try {
      text = utf8Decoder.decode(bytes);
    } catch (err) {
      throw new CodecError(`cannot decode ${bytes.length} bytes: they are not valid UTF-8`, { cause: err });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new CodecError(`cannot decode ${bytes.length} bytes: invalid JSON (${reason})`, { cause: err });
    }
    try {
      return reviveJsonValue(parsed, text);
    } catch (err) {
      if (err instanceof CodecError) throw err;
      // Only a call stack already nearly exhausted by the caller gets here (nesting is capped).
      throw new CodecError('cannot decode the message: the call stack ran out (decode was called too deep)', { cause: err });
    }
  },
});

function describeInput(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object that is not a Uint8Array' : `a ${typeof value}`;
}
