// The JSON codec's encoder: one walk that checks each value and writes its text, so a value is read
// once (a getter cannot show the check one thing and the text another) and a lossy one is caught
// where it is, with its path.
import { CodecError } from './codec-error.js';
import { BIGINT_TAG, isTagKey, MAX_BIGINT_DIGITS, MAX_DEPTH, OBJECT_TAG } from './json-format.js';
import { describeLossyObject } from './lossy-values.js';
import { formatPath, type PathSegment, pathForMessage } from './value-path.js';

/** Where the walk is: `path[d]` is the key that led to depth `d`, `parents[d]` the object there. */
interface Walk {
  readonly path: PathSegment[];
  readonly parents: object[];
  /** The depth of the value being read, for errors thrown by user code (getters, proxies). */
  at: number;
}

/**
 * The JSON text of `value`, bigints tagged and tag-like objects escaped. Throws `CodecError` for a
 * value JSON would change or drop; an object property that is `undefined` is left out, as
 * `JSON.stringify` does (it is how an optional property is absent).
 */
export function encodeJsonText(value: unknown): string {
  const walk: Walk = { path: [], parents: [], at: 0 };
  try {
    return encodeValue(value, 0, walk);
  } catch (err) {
    throw err instanceof CodecError ? err : foreignError(err, walk);
  }
}

/** A CodecError for what went wrong outside the codec's own checks, with the path being read. */
function foreignError(err: unknown, walk: Walk): CodecError {
  try {
    const path = formatPath(walk.path.slice(1, walk.at + 1));
    const reason = err instanceof Error ? err.message : String(err);
    if (err instanceof RangeError && /call stack/i.test(reason)) {
      const message = `cannot encode ${pathForMessage(path)}: the call stack ran out (encode was called too deep)`;
      return new CodecError(message, { path, cause: err });
    }
    if (err instanceof RangeError && /string length/i.test(reason))
      return new CodecError('cannot encode the message: its JSON text would be longer than a JavaScript string can be', { cause: err });
    // A getter or a proxy of the user's threw while being read.
    return new CodecError(`cannot encode ${pathForMessage(path)}: reading it threw: ${reason}`, { path, cause: err });
  } catch {
    // Describing it failed too (the stack is still nearly exhausted): say less.
    return new CodecError('cannot encode the message', { cause: err });
  }
}

function encodeValue(value: unknown, depth: number, walk: Walk): string {
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'number':
      // String(-0) is '0': -0 becomes 0 (see docs/transport.md, "Codecs").
      if (Number.isFinite(value)) return String(value);
      throw lossy(walk, depth, String(value), 'JSON would turn it into null');
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return encodeBigint(value, depth, walk);
    case 'object':
      return value === null ? 'null' : encodeObject(value, depth, walk);
    case 'undefined':
      throw lossy(walk, depth, 'undefined', depth === 0
        ? 'JSON has no text for it'
        : 'an array element (or a hole) JSON would turn into null');
    case 'function':
      throw lossy(walk, depth, 'a function', 'JSON would drop it (null in an array)');
    case 'symbol':
      throw lossy(walk, depth, 'a symbol', 'JSON would drop it (null in an array)');
  }
}

// Characters JSON must escape: quote, backslash, controls, and surrogates (a lone one is written
// as \uXXXX by JSON.stringify; a pair is kept, but testing for both is simpler and still rare).
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A string as JSON text. Most strings need no escape; JSON.stringify is 4x slower on them. */
function quote(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`;
}

function encodeBigint(value: bigint, depth: number, walk: Walk): string {
  const digits = value.toString();
  if (digits.length > MAX_BIGINT_DIGITS + (value < 0n ? 1 : 0))
    throw lossy(walk, depth, `a bigint of ${digits.length} digits`, `the limit is ${MAX_BIGINT_DIGITS}`);
  return `{"${BIGINT_TAG}":"${digits}"}`;
}

function encodeObject(value: object, depth: number, walk: Walk): string {
  if (depth >= MAX_DEPTH) throw tooDeep(value, depth, walk);
  walk.parents[depth] = value;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === Array.prototype) return encodeArray(value as unknown[], depth, walk);
  if (proto !== Object.prototype && proto !== null) throw lossy(walk, depth, ...describeLossyObject(value));
  const child = depth + 1;
  let out = '{';
  let written = 0;
  let lastKey = '';
  for (const key of Object.keys(value)) {
    walk.path[child] = key;
    walk.at = child;
    const item: unknown = (value as Record<string, unknown>)[key];
    // An undefined property is an absent optional one: left out, as JSON.stringify does.
    if (item === undefined) continue;
    out += `${written === 0 ? '' : ','}${quote(key)}:${encodeValue(item, child, walk)}`;
    written++;
    lastKey = key;
  }
  out += '}';
  // A user object that would read back as a tag is escaped.
  return written === 1 && isTagKey(lastKey) ? `{"${OBJECT_TAG}":${out}}` : out;
}

function encodeArray(value: unknown[], depth: number, walk: Walk): string {
  const child = depth + 1;
  const length = value.length;
  let out = '[';
  for (let i = 0; i < length; i++) {
    walk.path[child] = i;
    walk.at = child;
    out += `${i === 0 ? '' : ','}${encodeValue(value[i], child, walk)}`;
  }
  return `${out}]`;
}

function lossy(walk: Walk, depth: number, what: string, why: string): CodecError {
  const path = formatPath(walk.path.slice(1, depth + 1));
  return new CodecError(`cannot encode ${what} at ${pathForMessage(path)}: ${why}`, { path });
}

/** Past MAX_DEPTH: a cycle (then name the shortest way round it) or a genuinely deep value. */
function tooDeep(value: object, depth: number, walk: Walk): CodecError {
  walk.parents[depth] = value;
  for (let later = 1; later <= depth; later++) {
    const earlier = walk.parents.indexOf(walk.parents[later] as object);
    if (earlier < later) {
      const from = formatPath(walk.path.slice(1, later + 1));
      const to = formatPath(walk.path.slice(1, earlier + 1));
      return new CodecError(
        `cannot encode a circular structure: ${pathForMessage(from)} refers back to ${pathForMessage(to)}`,
        { path: from },
      );
    }
  }
  const path = formatPath(walk.path.slice(1, depth + 1));
  return new CodecError(
    `cannot encode ${pathForMessage(path)}: nested deeper than ${MAX_DEPTH} arrays and objects`,
    { path },
  );
}
