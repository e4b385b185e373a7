// The JSON codec's encoder: one walk that checks each value and writes its UTF-8 text, so a value is
// read once (a getter cannot show the check one thing and the text another) and a lossy one is
// caught where it is, with its path.
import { ByteWriter } from './byte-writer.js';
import { CodecError } from './codec-error.js';
import { BIGINT_TAG, isTagKey, MAX_BIGINT_DIGITS, MAX_DEPTH, OBJECT_TAG } from './json-format.js';
import { describeLossyObject } from './lossy-values.js';
import { formatPath, type PathSegment, pathForMessage } from './value-path.js';

/** A message being encoded: its bytes so far and where the walk is. Reused from one message to the next. */
class Walk {
  readonly out = new ByteWriter();
  /** `path[d]` is the key that led to depth `d`, `parents[d]` the object there. */
  readonly path: PathSegment[] = [];
  readonly parents: (object | undefined)[] = [];
  /** The depth of the value being read, for errors thrown by user code (getters, proxies). */
  at = 0;

  /**
   * Lets go of the message's objects and keys. Entries are cleared, not the arrays shortened:
   * shortening them made a small message's encode almost twice as slow (they must grow again).
   */
  reset(): void {
    this.out.reset();
    // Every depth up to the deepest object reached was written: the entries set are a prefix.
    const { parents, path } = this;
    for (let depth = 0; depth < parents.length && parents[depth] !== undefined; depth++) {
      parents[depth] = undefined;
      path[depth + 1] = 0;
    }
    this.at = 0;
  }
}

// The walk of the message being encoded takes this one; a getter that encodes another message
// meanwhile gets a walk (and buffer) of its own.
let idle: Walk | undefined = new Walk();

/**
 * The UTF-8 JSON text of `value`, bigints tagged and tag-like objects escaped, as a fresh array
 * (`transient`: a view of the encoder's buffer, valid until the next call).
 * Throws `CodecError` for a value JSON would change or drop; an object property that is `undefined`
 * is left out, as `JSON.stringify` does (it is how an optional property is absent).
 */
export function encodeJson(value: unknown, transient = false): Uint8Array {
  const walk = idle ?? new Walk();
  idle = undefined;
  try {
    writeValue(value, 0, walk);
    return transient ? walk.out.view() : walk.out.copy();
  } catch (err) {
    throw err instanceof CodecError ? err : foreignError(err, walk);
  } finally {
    try {
      walk.reset();
      idle = walk;
    } catch {
      // Only a call stack the caller had nearly exhausted gets here: the next message takes a new walk.
    }
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

function writeValue(value: unknown, depth: number, walk: Walk): void {
  switch (typeof value) {
    case 'string':
      return writeString(value, walk.out);
    case 'number':
      // -0 becomes 0 (see docs/transport.md, "Codecs"): both ways below write it so.
      if ((value | 0) === value) return walk.out.int32(value);
      if (Number.isFinite(value)) return walk.out.ascii(String(value));
      throw lossy(walk, depth, String(value), 'JSON would turn it into null');
    case 'boolean':
      return walk.out.ascii(value ? 'true' : 'false');
    case 'bigint':
      return writeBigint(value, depth, walk);
    case 'object':
      return value === null ? walk.out.ascii('null') : writeObject(value, depth, walk);
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

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;

/** Up to this length, a string is copied byte by byte in the hope it is plain ASCII. */
const SHORT_STRING = 48;

// Characters JSON must escape: quote, backslash, controls, and surrogates (a lone one is written
// as \uXXXX by JSON.stringify; a pair is kept, but testing for both is simpler and still rare).
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A string as JSON text, escaped as JSON.stringify escapes it. */
function writeString(text: string, out: ByteWriter): void {
  const count = text.length;
  if (count <= SHORT_STRING) {
    // Most strings are printable ASCII without quote or backslash: their bytes are their text.
    out.reserve(count + 2);
    const bytes = out.bytes;
    let at = out.length;
    bytes[at++] = QUOTE;
    let i = 0;
    for (; i < count; i++) {
      const code = text.charCodeAt(i);
      if (code < 0x20 || code > 0x7e || code === QUOTE || code === BACKSLASH) break;
      bytes[at++] = code;
    }
    if (i === count) {
      bytes[at++] = QUOTE;
      out.length = at;
      return;
    }
    // Not so: what was copied is overwritten below.
  }
  if (NEEDS_ESCAPE.test(text)) return out.text(JSON.stringify(text));
  out.byte(QUOTE);
  out.text(text);
  out.byte(QUOTE);
}

const BIGINT_OPEN = `{"${BIGINT_TAG}":"`;
const ESCAPE_OPEN = `{"${OBJECT_TAG}":`;

function writeBigint(value: bigint, depth: number, walk: Walk): void {
  const digits = value.toString();
  if (digits.length > MAX_BIGINT_DIGITS + (value < 0n ? 1 : 0))
    throw lossy(walk, depth, `a bigint of ${digits.length} digits`, `the limit is ${MAX_BIGINT_DIGITS}`);
  const out = walk.out;
  out.ascii(BIGINT_OPEN);
  out.ascii(digits);
  out.ascii('"}');
}

function writeObject(value: object, depth: number, walk: Walk): void {
  if (depth >= MAX_DEPTH) throw tooDeep(value, depth, walk);
  walk.parents[depth] = value;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto === Array.prototype) return writeArray(value as unknown[], depth, walk);
  if (proto !== Object.prototype && proto !== null) throw lossy(walk, depth, ...describeLossyObject(value));
  const out = walk.out;
  const start = out.length;
  const child = depth + 1;
  let written = 0;
  let lastKey = '';
  out.byte(0x7b /* { */);
  const keys = Object.keys(value);
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k] as string;
    walk.path[child] = key;
    walk.at = child;
    const item: unknown = (value as Record<string, unknown>)[key];
    // An undefined property is an absent optional one: left out, as JSON.stringify does.
    if (item === undefined) continue;
    if (written !== 0) out.byte(COMMA);
    writeString(key, out);
    out.byte(COLON);
    writeValue(item, child, walk);
    written++;
    lastKey = key;
  }
  out.byte(0x7d /* } */);
  // A user object that would read back as a tag is escaped.
  if (written === 1 && isTagKey(lastKey)) {
    out.insertAscii(start, ESCAPE_OPEN);
    out.byte(0x7d /* } */);
  }
}

function writeArray(value: unknown[], depth: number, walk: Walk): void {
  const out = walk.out;
  const child = depth + 1;
  const length = value.length;
  out.byte(0x5b /* [ */);
  for (let i = 0; i < length; i++) {
    walk.path[child] = i;
    walk.at = child;
    if (i !== 0) out.byte(COMMA);
    writeValue(value[i], child, walk);
  }
  out.byte(0x5d /* ] */);
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
