import type { NetworkAddress } from './network-address.js';
import type { UID } from './uid.js';

/** Where a message goes: a network address and a token naming the receiver there. */
export class Endpoint {
  constructor(
    /** The `ip:port` of the process where the receiver lives. */
    readonly address: NetworkAddress,
    /** Which receiver at that address: a well-known token (see `UID.wellKnown`) or a dynamic one. */
    readonly token: UID,
  ) {}

  /** True when both the address and the token are equal (by value, not by identity). */
  equals(other: Endpoint): boolean {
    return this.address.equals(other.address) && this.token.equals(other.token);
  }

  /** `ip:port/token`; computed once (an endpoint is immutable, and the text keys maps). */
  toString(): string {
    let text = texts.get(this);
    if (text === undefined) texts.set(this, (text = `${this.address.toString()}/${this.token.toString()}`));
    return text;
  }
}

/** Kept beside the endpoints, not in them: equal endpoints stay deeply equal. */
const texts = new WeakMap<Endpoint, string>();
