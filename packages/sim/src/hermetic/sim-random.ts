import nodeCrypto from 'node:crypto';
import type { SimRng } from '../kernel/rng.js';
import { simulatedWorld } from './active.js';
import { simSetImmediate } from './sim-timers.js';

// Taken when the module loads, before any patch.
const realMathRandom = Math.random;
const real = {
  randomBytes: nodeCrypto.randomBytes,
  randomFillSync: nodeCrypto.randomFillSync,
  randomFill: nodeCrypto.randomFill,
  randomInt: nodeCrypto.randomInt,
  randomUUID: nodeCrypto.randomUUID,
};
const webcrypto = globalThis.crypto;
const realGetRandomValues = webcrypto.getRandomValues;
const realWebRandomUUID = webcrypto.randomUUID;

/** `Math.random()`: the iteration's seeded generator in simulated code. */
export function simMathRandom(): number {
  const world = simulatedWorld();
  return world === null ? realMathRandom() : world.rng.random();
}

/** Fills `bytes` from the generator, four bytes per draw. */
function fillFrom(rng: SimRng, bytes: Uint8Array): void {
  for (let i = 0; i < bytes.length; i += 4) {
    let word = rng.nextU32();
    for (let j = i; j < i + 4 && j < bytes.length; j++) {
      bytes[j] = word & 0xff;
      word >>>= 8;
    }
  }
}

function argError(message: string, code: string, Kind: typeof TypeError | typeof RangeError = TypeError): Error {
  return Object.assign(new Kind(message), { code });
}

function checkSize(size: unknown, name: string): number {
  if (typeof size !== 'number') {
    throw argError(`The "${name}" argument must be of type number. Received ${typeof size}`, 'ERR_INVALID_ARG_TYPE');
  }
  if (!Number.isInteger(size) || size < 0 || size > 2 ** 31 - 1) {
    throw argError(
      `The value of "${name}" is out of range. It must be >= 0 && <= 2147483647. Received ${size}`,
      'ERR_OUT_OF_RANGE',
      RangeError,
    );
  }
  return size;
}

type Callback<T> = (err: Error | null, value: T) => void;

/** Calls back as Node does, later: a simulated immediate of the calling machine. */
function later<T>(callback: Callback<T>, value: T): void {
  simSetImmediate(() => callback(null, value));
}

function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

export function simRandomBytes(size: number, callback?: Callback<Buffer>): Buffer | undefined {
  const world = simulatedWorld();
  if (world === null) return (real.randomBytes as (...a: unknown[]) => Buffer | undefined)(size, callback);
  const buf = Buffer.alloc(checkSize(size, 'size'));
  fillFrom(world.rng, buf);
  if (callback === undefined) return buf;
  later(callback, buf);
  return undefined;
}

export function simRandomFillSync<T extends ArrayBufferView>(buffer: T, offset = 0, size?: number): T {
  const world = simulatedWorld();
  if (world === null) return (real.randomFillSync as (...a: unknown[]) => T)(buffer, offset, size);
  const bytes = bytesOf(buffer);
  const from = checkSize(offset, 'offset');
  const count = size === undefined ? bytes.length - from : checkSize(size, 'size');
  if (from + count > bytes.length) {
    throw argError(`The value of "size + offset" is out of range. It must be <= ${bytes.length}`, 'ERR_OUT_OF_RANGE', RangeError);
  }
  fillFrom(world.rng, bytes.subarray(from, from + count));
  return buffer;
}

export function simRandomFill(buffer: ArrayBufferView, ...rest: unknown[]): void {
  const world = simulatedWorld();
  if (world === null) {
    (real.randomFill as (...a: unknown[]) => void)(buffer, ...rest);
    return;
  }
  const callback = rest.pop();
  if (typeof callback !== 'function') {
    throw argError('The "callback" argument must be of type function', 'ERR_INVALID_ARG_TYPE');
  }
  const [offset, size] = rest as [number | undefined, number | undefined];
  simRandomFillSync(buffer, offset ?? 0, size);
  later(callback as Callback<ArrayBufferView>, buffer);
}

const MAX_RANGE = 2 ** 48;

/** `crypto.randomInt([min, ]max[, callback])`: uniform in [min, max), without bias (rejection). */
export function simRandomInt(...args: unknown[]): number | undefined {
  const world = simulatedWorld();
  if (world === null) return (real.randomInt as (...a: unknown[]) => number | undefined)(...args);
  const callback = typeof args[args.length - 1] === 'function' ? (args.pop() as Callback<number>) : undefined;
  const [min, max] = args.length >= 2 ? [args[0], args[1]] : [0, args[0]];
  for (const [name, v] of [['min', min], ['max', max]] as const) {
    if (!Number.isSafeInteger(v)) {
      throw argError(`The "${name}" argument must be a safe integer. Received ${String(v)}`, 'ERR_INVALID_ARG_TYPE');
    }
  }
  const lo = min as number;
  const range = (max as number) - lo;
  if (!(range > 0) || range > MAX_RANGE) {
    throw argError(
      `The value of "max" is out of range. It must be greater than the value of "min" (${lo}) and max - min must be <= 2^48. Received ${String(max)}`,
      'ERR_OUT_OF_RANGE',
      RangeError,
    );
  }
  const limit = MAX_RANGE - (MAX_RANGE % range);
  let x: number;
  do {
    x = (world.rng.nextU32() >>> 16) * 2 ** 32 + world.rng.nextU32();
  } while (x >= limit);
  const value = lo + (x % range);
  if (callback === undefined) return value;
  later(callback, value);
  return undefined;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** A version 4 UUID from 16 bytes of the generator. */
function uuidFrom(rng: SimRng): string {
  const b = new Uint8Array(16);
  fillFrom(rng, b);
  b[6] = ((b[6] as number) & 0x0f) | 0x40;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  const h = Array.from(b, (x) => HEX[x] as string);
  return `${h.slice(0, 4).join('')}-${h.slice(4, 6).join('')}-${h.slice(6, 8).join('')}-${h.slice(8, 10).join('')}-${h.slice(10).join('')}`;
}

export function simRandomUUID(options?: { disableEntropyCache?: boolean }): string {
  const world = simulatedWorld();
  return world === null ? real.randomUUID(options) : uuidFrom(world.rng);
}

/** Web Crypto's `randomUUID` (the global `crypto`). */
export function simWebRandomUUID(): string {
  const world = simulatedWorld();
  return world === null ? realWebRandomUUID.call(webcrypto) : uuidFrom(world.rng);
}

/** Web Crypto's `getRandomValues`: integer typed arrays of at most 65 536 bytes, as the real one. */
export function simGetRandomValues(array: unknown): unknown {
  const world = simulatedWorld();
  if (world === null) return realGetRandomValues.call(webcrypto, array as never);
  const integer =
    array instanceof Int8Array || array instanceof Uint8Array || array instanceof Uint8ClampedArray ||
    array instanceof Int16Array || array instanceof Uint16Array || array instanceof Int32Array ||
    array instanceof Uint32Array || array instanceof BigInt64Array || array instanceof BigUint64Array;
  if (!integer) {
    throw new DOMException('The data argument must be an integer-type TypedArray', 'TypeMismatchError');
  }
  if (array.byteLength > 65536) {
    throw new DOMException(
      `The ArrayBufferView's byte length (${array.byteLength}) exceeds the number of bytes of entropy available via this API (65536)`,
      'QuotaExceededError',
    );
  }
  fillFrom(world.rng, bytesOf(array));
  return array;
}

/** The global `crypto` object (Web Crypto): `node:crypto`'s `getRandomValues` goes through it too. */
export const globalCrypto = webcrypto;
