import {
  Endpoint,
  type Listener,
  NetworkAddress,
  type Providers,
  UID,
  WellKnownToken,
  wellKnownUid,
} from '@moonpool/core';
import { EndpointMap } from '../endpoints/endpoint-map.js';
import { MessagingError } from '../peer/messaging-error.js';
import { Peer, type PeerEvents } from '../peer/peer.js';
import { PeerConfig } from '../peer/peer-config.js';
import type { ReliablePacket } from '../peer/send-queue.js';
import type { Packet } from '../wire/packet.js';
import { readToken, writeToken } from '../wire/token-codec.js';
import { FailureMonitor } from './failure-monitor.js';
import type { MessageReceiver } from './message-receiver.js';

const ENDPOINT_NOT_FOUND = wellKnownUid(WellKnownToken.EndpointNotFound);
const U64_MAX = (1n << 64n) - 1n;

/** Configures a `NetTransport` (`NetTransport.builder(providers)`). */
export class NetTransportBuilder {
  private config: PeerConfig = PeerConfig.default();
  private warn: (message: string) => void = (message) => console.warn(message);

  constructor(private readonly providers: Providers) {}

  /** How every peer of the transport connects and reconnects (default `PeerConfig.default()`). */
  peerConfig(config: PeerConfig): this {
    this.config = PeerConfig.validate(config);
    return this;
  }

  /** Where the transport's warnings go (default `console.warn`). */
  onWarning(warn: (message: string) => void): this {
    this.warn = warn;
    return this;
  }

  /** A new transport with this configuration; it listens only once `listen` is called. */
  build(): NetTransport {
    return new NetTransport(this.providers, this.config, this.warn);
  }
}

/**
 * FoundationDB's FlowTransport: one peer per remote address (outgoing ones made on first use,
 * incoming ones from accepted connections), packets dispatched to the receivers registered at their
 * tokens, and the failure monitor kept up to date. The same code runs on `NodeProviders` and on a
 * simulated machine's providers.
 */
export class NetTransport {
  /** What this transport knows of which addresses and endpoints are reachable, kept up to date by its peers. */
  readonly failureMonitor: FailureMonitor;
  private readonly endpoints = new EndpointMap<MessageReceiver>();
  private readonly peers = new Map<string, Peer>();
  private listener: Listener | null = null;
  /** A `listen` is binding: a second one must not pass the check meanwhile. */
  private binding = false;
  private localAddressValue: NetworkAddress | null = null;
  private closed = false;
  private readonly closeHooks: (() => void)[] = [];
  private readonly peerEvents: PeerEvents;

  /** Use `NetTransport.builder(providers)`. */
  constructor(
    /** The providers its peers, listener and timers run on (real or simulated). */
    readonly providers: Providers,
    /** How each of its peers connects and reconnects (validated). */
    readonly peerConfig: PeerConfig,
    private readonly warn: (message: string) => void,
  ) {
    this.failureMonitor = new FailureMonitor(providers.time, warn);
    // Only outgoing peers report to the failure monitor: an incoming peer's address is the other
    // side's ephemeral port, which nobody sends to, and one entry per accepted connection would
    // pile up for the life of a server.
    this.peerEvents = {
      onPacket: (packet, peer) => this.dispatch(packet, peer),
      onStatus: (peer, available) => {
        if (!peer.incoming) this.failureMonitor.setStatus(peer.address, available ? 'available' : 'failed');
      },
      onDisconnect: (peer) => {
        if (!peer.incoming) this.failureMonitor.notifyDisconnect(peer.address);
      },
      onClosed: (peer) => {
        if (this.peers.get(peer.address) === peer) this.peers.delete(peer.address);
        if (!peer.incoming) this.failureMonitor.setStatus(peer.address, 'failed');
      },
    };
  }

  /** Starts configuring a transport that runs on `providers`. */
  static builder(providers: Providers): NetTransportBuilder {
    return new NetTransportBuilder(providers);
  }

  /** The address this transport listens on (null until `listen`). */
  get localAddress(): NetworkAddress | null {
    return this.localAddressValue;
  }

  /** Listens on `address` (`ip:port`; port 0 picks one) and serves every connection accepted there. */
  async listen(address: string): Promise<NetworkAddress> {
    this.checkOpen();
    if (this.listener !== null || this.binding) {
      throw new Error(`the transport already listens (on ${String(this.localAddressValue ?? 'an address being bound')})`);
    }
    NetworkAddress.parse(address);
    this.binding = true;
    let listener: Listener;
    try {
      listener = await this.providers.network.bind(address);
    } finally {
      this.binding = false;
    }
    if (this.closed) {
      // Closed while binding: nobody would ever close this listener.
      await listener.close().catch(() => undefined);
      this.checkOpen();
    }
    this.listener = listener;
    this.localAddressValue = NetworkAddress.parse(listener.localAddr());
    this.providers.task.spawn(`transport accept ${listener.localAddr()}`, () => this.accept(listener));
    return this.localAddressValue;
  }

  /** Makes `receiver` get what is sent to `token` (a token already taken is an error). */
  register(token: UID, receiver: MessageReceiver): void {
    this.endpoints.register(token, receiver);
  }

  /** Makes `receiver` the well-known endpoint `index` (it cannot be removed). */
  registerWellKnown(index: number, receiver: MessageReceiver): void {
    this.endpoints.registerWellKnown(index, receiver);
  }

  /** Removes a dynamic endpoint; false when it was not registered. */
  unregister(token: UID): boolean {
    return this.endpoints.remove(token);
  }

  /**
   * A fresh token, never well-known: a random 64-bit half drawn once per transport (from the
   * providers' randomness: deterministic in simulation) and a counter. Unique for the transport's
   * life; a restarted one draws another half, so late replies to its old tokens find nothing.
   */
  newToken(): UID {
    if (this.tokenPrefix === null) {
      const { random } = this.providers;
      const prefix = (BigInt(random.randomRange(0, 2 ** 32)) << 32n) | BigInt(random.randomRange(0, 2 ** 32));
      this.tokenPrefix = prefix === U64_MAX ? prefix - 1n : prefix;
    }
    return new UID(this.tokenPrefix, BigInt(++this.tokenCounter));
  }

  private tokenPrefix: bigint | null = null;
  private tokenCounter = 0;

  /**
   * Sends `payload` to `endpoint` reliably: kept and resent on every new connection to its address
   * until the returned packet is cancelled. Throws `MessagingError` (`QueueFull`, `Closed`).
   */
  sendReliable(endpoint: Endpoint, payload: Uint8Array): ReliablePacket {
    return this.peerFor(endpoint.address).sendReliable(endpoint.token, payload);
  }

  /** Sends `payload` to `endpoint` once; lost if the connection fails. Throws like `sendReliable`. */
  sendUnreliable(endpoint: Endpoint, payload: Uint8Array): void {
    this.peerFor(endpoint.address).sendUnreliable(endpoint.token, payload);
  }

  /** `sendReliable` of a packet already framed for its endpoint's token, to that endpoint's `address`. */
  sendReliableFrame(address: NetworkAddress, frame: Uint8Array): ReliablePacket {
    return this.peerFor(address).sendReliableFrame(frame);
  }

  /** `sendUnreliable` of a packet already framed. */
  sendUnreliableFrame(address: NetworkAddress, frame: Uint8Array): void {
    this.peerFor(address).sendUnreliableFrame(frame);
  }

  /** The peer of `address`, if there is one. */
  peer(address: NetworkAddress | string): Peer | undefined {
    return this.peers.get(String(address));
  }

  /** How many peers it has now, outgoing and incoming (closed ones are removed). */
  get peerCount(): number {
    return this.peers.size;
  }

  /** Runs `hook` when the transport closes (what lives as long as the transport stops with it). */
  onClose(hook: () => void): void {
    if (this.closed) hook();
    else this.closeHooks.push(hook);
  }

  /** Dynamic endpoints registered right now (request streams, and the reply endpoints of requests out). */
  get endpointCount(): number {
    return this.endpoints.size;
  }

  /** Stops listening and closes every peer; sends throw `Closed` from now on. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const listener = this.listener;
    this.listener = null;
    for (const peer of [...this.peers.values()]) peer.close();
    for (const hook of this.closeHooks.splice(0)) hook();
    await listener?.close().catch(() => undefined);
  }

  private peerFor(address: NetworkAddress): Peer {
    this.checkOpen();
    const key = address.toString();
    let peer = this.peers.get(key);
    if (peer === undefined) {
      peer = Peer.outgoing(key, this.providers, this.peerConfig, this.peerEvents);
      this.peers.set(key, peer);
    }
    return peer;
  }

  private checkOpen(): void {
    if (this.closed) throw new MessagingError('Closed', 'the transport is closed');
  }

  private async accept(listener: Listener): Promise<void> {
    for (;;) {
      let stream;
      try {
        [stream] = await listener.accept();
      } catch {
        return; // the listener was closed
      }
      if (this.closed) {
        stream.abort();
        return;
      }
      const peer = Peer.incoming(stream, this.providers, this.peerConfig, this.peerEvents);
      this.peers.set(peer.address, peer);
    }
  }

  private dispatch(packet: Packet, peer: Peer): void {
    const { token, payload } = packet;
    if (token.equals(ENDPOINT_NOT_FOUND)) {
      // Only news about endpoints we send to counts: on an incoming connection it concerns a reply
      // endpoint at the other side's ephemeral address (a late reply), which nobody sends to again.
      if (payload.length === 16 && !peer.incoming) {
        this.failureMonitor.endpointNotFound(new Endpoint(NetworkAddress.parse(peer.address), readToken(payload, 0)));
      }
      return;
    }
    const receiver = this.endpoints.get(token);
    if (receiver !== undefined) {
      receiver.receive(payload, peer);
      return;
    }
    // Tell the sender, so that it stops waiting on an endpoint that is gone. Only on a connection it
    // opened: on one we opened, a packet can only be a late reply, and the other side ignores "not
    // found" on connections it accepted (see above), so answering would be a packet for nothing.
    if (peer.incoming && !token.isWellKnown() && peer.state !== 'closed') {
      try {
        const missing = new Uint8Array(16);
        writeToken(missing, 0, token);
        peer.sendUnreliable(ENDPOINT_NOT_FOUND, missing);
      } catch {
        // its queue is full: the sender will time out instead
      }
    }
  }
}
