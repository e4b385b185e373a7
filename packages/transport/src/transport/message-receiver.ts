import type { Peer } from '../peer/peer.js';

/** Whatever is registered at a token: it gets each payload sent there and the peer it came from. */
export interface MessageReceiver {
  /** Called with each payload that arrives at the token and the peer that it arrived from. */
  receive(payload: Uint8Array, origin: Peer): void;
}
