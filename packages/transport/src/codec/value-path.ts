/** One step into a message: a property name or an array index (a symbol only in schema issues). */
export type PathSegment = string | number | symbol;

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * The place of a value in a message, written as in JavaScript: `$` for the whole message, then
 * `.name` for identifier-like keys, `["odd key"]` for others and `[2]` for array indices.
 */
export function formatPath(segments: Iterable<PathSegment>): string {
  let out = '$';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'symbol') out += `[${String(segment)}]`;
    else if (IDENTIFIER.test(segment)) out += `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** A path short enough for an error message: the start and the end of a very long one. */
export function pathForMessage(path: string): string {
  return path.length <= 200 ? path : `${path.slice(0, 120)}…${path.slice(-60)}`;
}
