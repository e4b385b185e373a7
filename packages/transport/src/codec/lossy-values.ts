/**
 * What a value the JSON codec refuses is, and what `JSON.stringify` would silently make of it, for
 * the codec's error message.
 */
export function describeLossyObject(value: object): [what: string, why: string] {
  if (value instanceof Map) return ['a Map', 'JSON would turn it into {}; send [...map] or Object.fromEntries(map)'];
  if (value instanceof Set) return ['a Set', 'JSON would turn it into {}; send [...set]'];
  if (value instanceof Date) return ['a Date', 'JSON would turn it into a string; send date.toISOString() or date.getTime()'];
  if (typeof Buffer !== 'undefined' && Buffer.isBuffer(value))
    return ['a Buffer', 'JSON would turn it into {"type":"Buffer","data":[...]}; send an array of numbers or a base64 string'];
  if (ArrayBuffer.isView(value))
    return [withArticle(className(value)), 'JSON would turn it into an object of indices; send an array of numbers or a base64 string'];
  if (value instanceof ArrayBuffer) return ['an ArrayBuffer', 'JSON would turn it into {}'];
  if (value instanceof Error)
    return [withArticle(className(value)), 'JSON would turn it into {} (message and stack are not own enumerable properties)'];
  if (value instanceof RegExp) return ['a RegExp', 'JSON would turn it into {}'];
  if (value instanceof Promise) return ['a Promise', 'JSON would turn it into {}; await it first'];
  if (value instanceof WeakMap || value instanceof WeakSet) return [withArticle(className(value)), 'JSON would turn it into {}'];
  if (value instanceof Number || value instanceof String || value instanceof Boolean || value instanceof BigInt)
    return [`a boxed ${className(value)}`, 'JSON would unwrap it into a primitive; send the primitive'];
  if (Array.isArray(value))
    return [`an array of class ${className(value)}`, 'JSON would turn it into a plain array'];
  return [
    `an instance of ${className(value)}`,
    'JSON would keep only its own enumerable properties and lose its class; send a plain object',
  ];
}

function className(value: object): string {
  try {
    const proto: unknown = Object.getPrototypeOf(value);
    const ctor: unknown = proto !== null && typeof proto === 'object' ? (proto as { constructor?: unknown }).constructor : undefined;
    if (typeof ctor === 'function' && ctor.name !== '') return ctor.name;
  } catch {
    // A proxy's trap threw: fall through to the generic name.
  }
  return 'anonymous class';
}

/** 'an Int8Array', 'an Error', 'a Uint8Array' (said "you"). */
function withArticle(name: string): string {
  return `${/^[AEIO]/.test(name) ? 'an' : 'a'} ${name}`;
}
