import type { NetworkAddress } from './network-address.js';
import type { UID } from './uid.js';

/** Where a message goes: a network address and a token naming the receiver there. */
export class Endpoint {
  constructor(
    readonly address: NetworkAddress,
    readonly token: UID,
  ) {}

  equals(other: Endpoint): boolean {
    return this.address.equals(other.address) && this.token.equals(other.token);
  }

  toString(): string {
    return `${this.address.toString()}/${this.token.toString()}`;
  }
}
