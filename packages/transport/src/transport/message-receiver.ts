import type { Peer } from '../peer/peer.js';

/** Whatever is registered at a token: it gets each payload sent there and the peer it came from. */
export interface MessageReceiver {
  receive(payload: Uint8Array, origin: Peer): void;
}
