import { type UID, WELL_KNOWN_TOKEN_COUNT } from '@moonpool/core';

/**
 * Routes a token to its receiver. Well-known tokens (`first` = 2^64 - 1, `second` < 64) sit in an array
 * and stay for the map's life; dynamic tokens are registered and removed at runtime. The dynamic
 * entries live in a `Map` keyed by the token as one 128-bit bigint: O(1), and its iteration order is
 * the registration order, so nothing depends on hashing (docs/transport.md says why not a sorted map).
 */
export class EndpointMap<R> {
  readonly #wellKnown: (R | undefined)[] = new Array<R | undefined>(WELL_KNOWN_TOKEN_COUNT).fill(undefined);
  readonly #dynamic = new Map<bigint, R>();

  /** Registers the receiver of a well-known token; an index can be registered once. */
  registerWellKnown(index: number, receiver: R): void {
    if (!Number.isInteger(index) || index < 0 || index >= WELL_KNOWN_TOKEN_COUNT) {
      throw new RangeError(
        `well-known token index must be an integer in 0..${WELL_KNOWN_TOKEN_COUNT - 1}, got ${String(index)}`,
      );
    }
    if (this.#wellKnown[index] !== undefined) {
      throw new Error(`well-known token ${index} is already registered`);
    }
    this.#wellKnown[index] = receiver;
  }

  /** Registers the receiver of a dynamic token; a token already registered is an error. */
  register(token: UID, receiver: R): void {
    if (token.isWellKnown()) {
      throw new RangeError(
        `token ${token.toString()} is in the well-known range (first = 2^64 - 1): use registerWellKnown`,
      );
    }
    const key = keyOf(token);
    if (this.#dynamic.has(key)) throw new Error(`token ${token.toString()} is already registered`);
    this.#dynamic.set(key, receiver);
  }

  /** Removes a dynamic token; false when it was not registered. Well-known tokens cannot be removed. */
  remove(token: UID): boolean {
    if (token.isWellKnown()) {
      throw new Error(`well-known token ${token.toString()} cannot be removed`);
    }
    return this.#dynamic.delete(keyOf(token));
  }

  /** The receiver of `token`, or undefined when none is registered. */
  get(token: UID): R | undefined {
    if (token.isWellKnown()) {
      return token.second < WELL_KNOWN_TOKEN_COUNT ? this.#wellKnown[Number(token.second)] : undefined;
    }
    return this.#dynamic.get(keyOf(token));
  }

  /** The number of dynamic entries. */
  get size(): number {
    return this.#dynamic.size;
  }
}

/** The token as one bigint: measured faster than a string key or a map of maps (docs/transport.md). */
function keyOf(token: UID): bigint {
  return (token.first << 64n) | token.second;
}
