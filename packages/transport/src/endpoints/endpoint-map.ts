import { type UID, WELL_KNOWN_TOKEN_COUNT } from '@moonpool/core';

/** Emptied second-level maps are kept (a transport's reply tokens share one `first`) up to this many. */
const KEPT_EMPTY = 64;

/**
 * Routes a token to its receiver. Well-known tokens (`first` = 2^64 - 1, `second` < 64) sit in an array
 * and stay for the map's life; dynamic tokens are registered and removed at runtime. The dynamic
 * entries live in `Map`s, by `first` then by `second`: O(1), iteration in registration order, so
 * nothing depends on hashing (docs/transport.md says why not a sorted map). Most dynamic tokens of a
 * transport share their `first` (it makes them from one random prefix), so the map of the last `first`
 * used is kept at hand and a look-up is one bigint comparison and one `Map.get`.
 */
export class EndpointMap<R> {
  readonly #wellKnown: (R | undefined)[] = new Array<R | undefined>(WELL_KNOWN_TOKEN_COUNT).fill(undefined);
  readonly #dynamic = new Map<bigint, Map<bigint, R>>();
  #size = 0;
  #lastFirst: bigint | null = null;
  #lastSeconds: Map<bigint, R> | undefined = undefined;

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
    let seconds = this.#seconds(token.first);
    if (seconds === undefined) {
      seconds = new Map();
      this.#dynamic.set(token.first, seconds);
      this.#lastFirst = token.first;
      this.#lastSeconds = seconds;
    }
    if (seconds.has(token.second)) throw new Error(`token ${token.toString()} is already registered`);
    seconds.set(token.second, receiver);
    this.#size++;
  }

  /** Removes a dynamic token; false when it was not registered. Well-known tokens cannot be removed. */
  remove(token: UID): boolean {
    if (token.isWellKnown()) {
      throw new Error(`well-known token ${token.toString()} cannot be removed`);
    }
    const seconds = this.#seconds(token.first);
    if (seconds === undefined || !seconds.delete(token.second)) return false;
    this.#size--;
    if (seconds.size === 0 && this.#dynamic.size > KEPT_EMPTY) {
      this.#dynamic.delete(token.first);
      if (this.#lastSeconds === seconds) {
        this.#lastFirst = null;
        this.#lastSeconds = undefined;
      }
    }
    return true;
  }

  /** The receiver of `token`, or undefined when none is registered. */
  get(token: UID): R | undefined {
    if (token.isWellKnown()) {
      return token.second < WELL_KNOWN_TOKEN_COUNT ? this.#wellKnown[Number(token.second)] : undefined;
    }
    return this.#seconds(token.first)?.get(token.second);
  }

  /** The number of dynamic entries. */
  get size(): number {
    return this.#size;
  }

  /** The entries whose token has this `first`. */
  #seconds(first: bigint): Map<bigint, R> | undefined {
    if (first === this.#lastFirst) return this.#lastSeconds;
    const seconds = this.#dynamic.get(first);
    if (seconds !== undefined) {
      this.#lastFirst = first;
      this.#lastSeconds = seconds;
    }
    return seconds;
  }
}
