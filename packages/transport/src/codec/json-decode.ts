// The JSON codec's decoder, after JSON.parse: one walk that turns tags back into bigints and escaped
// objects, and holds parsed input to the same limits the encoder keeps (nesting, bigint length).
import { CodecError } from './codec-error.js';
import { BIGINT_TAG, BIGINT_TEXT, isTagKey, MAX_BIGINT_DIGITS, MAX_DEPTH, OBJECT_TAG } from './json-format.js';
import { formatPath, type PathSegment, pathForMessage } from './value-path.js';

/**
 * Turns what `JSON.parse` gave for `text` into the message: tags read, limits checked. Throws
 * `CodecError`.
 */
export function reviveJsonValue(parsed: unknown, text: string): unknown {
  if (typeof parsed !== 'object' || parsed === null || cannotNeedRevive(text)) return parsed;
  return revive(parsed, 0, []);
}

/**
 * Whether the walk would leave `text` as JSON.parse made it and find nothing wrong: no `$` (a tag
 * key starts with one) nor backslash (an escape could spell one), and too short to nest past the
 * limit (each level takes two characters). Then the walk, about 6 % of a small message's decode,
 * is skipped.
 */
function cannotNeedRevive(text: string): boolean {
  return text.length < 2 * (MAX_DEPTH + 1) && text.indexOf('$') === -1 && text.indexOf('\\') === -1;
}

/** `path[d]` is the key that led to depth `d`. Values of JSON.parse are arrays or plain objects. */
function revive(value: object, depth: number, path: PathSegment[]): unknown {
  if (depth >= MAX_DEPTH) throw malformed(path, depth, `nested deeper than ${MAX_DEPTH} arrays and objects`);
  const child = depth + 1;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item !== 'object' || item === null) continue;
      path[child] = i;
      const revived = revive(item, child, path);
      if (revived !== item) value[i] = revived;
    }
    return value;
  }
  const record = value as Record<string, unknown>;
  // Object.keys, not for-in: an enumerable property added to Object.prototype must not show up here.
  const keys = Object.keys(record);
  const only = keys.length === 1 ? (keys[0] as string) : undefined;
  if (only !== undefined && isTagKey(only)) {
    path[child] = only;
    return only === BIGINT_TAG ? readBigint(record[only], depth, path) : readEscaped(record[only], child, path);
  }
  for (let k = 0; k < keys.length; k++) reviveProperty(record, keys[k] as string, child, path);
  return value;
}

function reviveProperty(record: Record<string, unknown>, key: string, child: number, path: PathSegment[]): void {
  const item = record[key];
  if (typeof item !== 'object' || item === null) return;
  path[child] = key;
  const revived = revive(item, child, path);
  // JSON.parse made `key` an own data property, so this assignment cannot reach a prototype.
  if (revived !== item) record[key] = revived;
}

function readBigint(text: unknown, depth: number, path: PathSegment[]): bigint {
  if (typeof text === 'string' && text.length <= 15) {
    const small = readSmallDecimal(text);
    if (small !== undefined) return BigInt(small);
  }
  if (typeof text !== 'string' || !BIGINT_TEXT.test(text))
    throw malformed(path, depth, `a ${BIGINT_TAG} tag holds a string of decimal digits, not ${preview(text)}`);
  if (text.length > MAX_BIGINT_DIGITS + (text.charCodeAt(0) === 45 /* - */ ? 1 : 0))
    throw malformed(path, depth, `a bigint of ${text.length} digits (the limit is ${MAX_BIGINT_DIGITS})`);
  return BigInt(text);
}

/**
 * The number written by `text` if it has the canonical form `BIGINT_TEXT` checks, else undefined.
 * Only for texts of at most 15 characters, so the number is exact: `BigInt` of it is several times
 * faster than `BigInt` of the text. Longer texts take the general path.
 */
function readSmallDecimal(text: string): number | undefined {
  const negative = text.charCodeAt(0) === 45; /* - */
  let at = negative ? 1 : 0;
  const first = text.charCodeAt(at);
  // No digit, or a leading zero that is not the whole number.
  if (!(first >= 0x30 && first <= 0x39) || (first === 0x30 && text.length > at + 1)) return undefined;
  let value = 0;
  for (; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (code < 0x30 || code > 0x39) return undefined;
    value = value * 10 + (code - 0x30);
  }
  return negative ? -value : value;
}

function malformed(path: PathSegment[], depth: number, why: string): CodecError {
  const at = formatPath(path.slice(1, depth + 1));
  return new CodecError(`cannot decode ${pathForMessage(at)}: ${why}`, { path: at });
}

/** The object an `$object` tag escapes: its keys are literal, its values decoded as usual. */
function readEscaped(inner: unknown, child: number, path: PathSegment[]): object {
  if (typeof inner !== 'object' || inner === null || Array.isArray(inner))
    throw malformed(path, child - 1, `an ${OBJECT_TAG} tag holds an object, not ${preview(inner)}`);
  const record = inner as Record<string, unknown>;
  for (const key of Object.keys(record)) reviveProperty(record, key, child, path);
  return inner;
}

/** A short description of a parsed value for an error message (never the whole of a large input). */
function preview(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
