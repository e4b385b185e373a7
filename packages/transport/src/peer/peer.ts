import {
  assertReachable,
  describeError,
  type NetworkProvider,
  type Stream,
  type TaskProvider,
  type TimeProvider,
  type UID,
} from '@moonpool/core';
import { encodePacket, type Packet } from '../wire/packet.js';
import { PacketReader } from '../wire/packet-reader.js';
import { WireError } from '../wire/wire-error.js';
import { MessagingError } from './messaging-error.js';
import type { PeerConfig } from './peer-config.js';
import type { PeerMetrics } from './peer-metrics.js';
import { PING_TOKEN, pingPayload, readPing } from './ping.js';
import { type ReliablePacket, SendQueue } from './send-queue.js';
import { ConnectionWriter } from './connection-writer.js';

/** What a peer needs of the providers. */
export interface PeerProviders {
  /** Clock and sleeps: connection timeouts, reconnection backoff, pings. */
  readonly time: TimeProvider;
  /** Runs the peer's background connection task. */
  readonly task: TaskProvider;
  /** Opens the outgoing connections. */
  readonly network: NetworkProvider;
}

/** What a peer tells its owner (the transport). */
export interface PeerEvents {
  /** A packet for the application arrived (pings and pongs never do). */
  onPacket(packet: Packet, peer: Peer): void;
  /** A connection came up (true), or could not be made (false). */
  onStatus(peer: Peer, available: boolean): void;
  /**
   * An established connection ended. Not a failure of the address yet: the peer reconnects when it
   * has something to send, and that attempt says whether the address is reachable.
   */
  onDisconnect(peer: Peer): void;
  /** The peer ended for good: closed, gave up (outgoing) or lost its connection (incoming). */
  onClosed(peer: Peer, error: MessagingError): void;
}

/**
 * Where a peer is: `idle` (outgoing, nothing to send, no connection), `connecting`, `connected`,
 * `backing-off` (waiting before it reconnects) or `closed` (for good). An incoming peer starts connected.
 */
export type PeerState = 'connecting' | 'connected' | 'idle' | 'backing-off' | 'closed';

/**
 * Reached when a checksum drops a connection. A constant, not a literal at the call: assertion
 * sites are catalogued from literal messages, and this framework site must not be reported as never
 * reached in every simulation that imports the transport without corrupting a packet.
 */
const CHECKSUM_CAUGHT = 'transport: corrupt packet caught by its checksum';

/**
 * A logical connection to one remote address that survives disconnections (FoundationDB's Peer).
 * An outgoing peer connects when it has something to send, reconnects with exponential backoff
 * after a failure, resends its reliable messages first on every new connection and checks the
 * connection's health with pings. An incoming peer wraps one accepted connection and ends with it
 * (the other side reconnects).
 */
export class Peer {
  private stateValue: PeerState;
  private readonly queue: SendQueue;
  private readonly stopped = new AbortController();
  /** Writes the queue to the current connection (null while there is none). */
  private writer: ConnectionWriter | null = null;
  private wakeConnector: (() => void) | null = null;
  private connections = 0;
  /** Whether connection number `connections` is being served right now. */
  private servingConnection = false;
  private pingWaiter: { sequence: number; resolve: () => void } | null = null;
  private pingSequence = 0;
  private counters = {
    bytesSent: 0,
    bytesReceived: 0,
    packetsSent: 0,
    packetsReceived: 0,
    reconnects: 0,
    disconnects: 0,
    connectionFailures: 0,
    pingRoundTripMs: null as number | null,
  };

  private constructor(
    /** `ip:port` of the other side (for an incoming peer, its ephemeral address). */
    readonly address: string,
    /** Whether the other side connected to this one (true) or this peer connects out (false). */
    readonly incoming: boolean,
    private readonly providers: PeerProviders,
    private readonly config: PeerConfig,
    private readonly events: PeerEvents,
  ) {
    this.stateValue = incoming ? 'connected' : 'idle';
    this.queue = new SendQueue(config.maxQueueSize, () => address, () => this.wake());
  }

  /** A peer that connects to `address` when it has something to send. */
  static outgoing(address: string, providers: PeerProviders, config: PeerConfig, events: PeerEvents): Peer {
    const peer = new Peer(address, false, providers, config, events);
    providers.task.spawn(`peer ${address}`, () => peer.keepConnected());
    return peer;
  }

  /** A peer over an accepted connection; it ends when the connection does. */
  static incoming(stream: Stream, providers: PeerProviders, config: PeerConfig, events: PeerEvents): Peer {
    const peer = new Peer(stream.peerAddr, true, providers, config, events);
    providers.task.spawn(`peer ${stream.peerAddr} (incoming)`, () => peer.serveIncoming(stream));
    return peer;
  }

  /** Where the peer is now in its connection life; `closed` once it ended for good. */
  get state(): PeerState {
    return this.stateValue;
  }

  /** A snapshot of its counters and queue depths, taken at the call. */
  get metrics(): PeerMetrics {
    return {
      ...this.counters,
      reliableQueueDepth: this.queue.reliableDepth,
      unreliableQueueDepth: this.queue.unreliableDepth,
    };
  }

  /**
   * Queues `payload` for `token`, kept and resent on every new connection until the returned
   * packet is cancelled. Throws `MessagingError` `QueueFull` or `Closed`.
   */
  sendReliable(token: UID, payload: Uint8Array): ReliablePacket {
    this.checkOpen();
    return this.queue.pushReliable(encodePacket(token, payload));
  }

  /** Queues `payload` for `token`; lost if the connection fails first. Throws like `sendReliable`. */
  sendUnreliable(token: UID, payload: Uint8Array): void {
    this.checkOpen();
    this.queue.pushUnreliable(encodePacket(token, payload));
  }

  /** `sendReliable` of a packet already framed (by `encodePacket`, or `startFrame` and `sealFrame`). */
  sendReliableFrame(frame: Uint8Array): ReliablePacket {
    this.checkOpen();
    return this.queue.pushReliable(frame);
  }

  /** `sendUnreliable` of a packet already framed. */
  sendUnreliableFrame(frame: Uint8Array): void {
    this.checkOpen();
    this.queue.pushUnreliable(frame);
  }

  /** Ends the peer: its connection is reset and its queues dropped. */
  close(): void {
    this.finish(new MessagingError('Closed', `the peer ${this.address} was closed`));
  }

  private checkOpen(): void {
    if (this.stateValue === 'closed') {
      throw new MessagingError('Closed', `the peer ${this.address} is closed`);
    }
  }

  private finish(error: MessagingError): void {
    if (this.stateValue === 'closed') return;
    this.stateValue = 'closed';
    this.stopped.abort(error);
    this.wake();
    this.events.onClosed(this, error);
    this.queue.clear(error);
  }

  private wake(): void {
    this.writer?.wake();
    const connector = this.wakeConnector;
    this.wakeConnector = null;
    connector?.();
  }

  /** The outgoing peer's life: connect when there is work, serve the connection, back off after failures. */
  private async keepConnected(): Promise<void> {
    const { initialReconnectDelay, maxReconnectDelay, maxConnectionFailures } = this.config;
    let delay = initialReconnectDelay;
    let failuresInARow = 0;
    const signal = this.stopped.signal;
    while (!signal.aborted) {
      // Connect only when something waits to be sent: an idle peer keeps no timer alive.
      while (!this.queue.hasWork && !signal.aborted) {
        this.stateValue = 'idle';
        await new Promise<void>((resolve) => {
          this.wakeConnector = resolve;
        });
      }
      if (signal.aborted) return;
      this.stateValue = 'connecting';
      let stream: Stream;
      try {
        stream = await this.connect();
      } catch {
        if (signal.aborted) return;
        this.counters.connectionFailures++;
        failuresInARow++;
        this.queue.failed();
        this.events.onStatus(this, false);
        if (maxConnectionFailures !== null && failuresInARow >= maxConnectionFailures) {
          this.finish(
            new MessagingError(
              'ConnectionFailed',
              `gave up on ${this.address} after ${failuresInARow} failed connections in a row (PeerConfig.maxConnectionFailures)`,
            ),
          );
          return;
        }
        await this.backOff(delay);
        delay = Math.min(delay * 2, maxReconnectDelay);
        continue;
      }
      if (signal.aborted) {
        // Closed while connecting: the connection came too late.
        stream.abort();
        return;
      }
      failuresInARow = 0;
      delay = initialReconnectDelay;
      if (this.connections > 0) this.counters.reconnects++;
      await this.serve(stream);
      if (signal.aborted) return;
      this.counters.disconnects++;
      this.queue.failed();
      this.events.onDisconnect(this);
      await this.backOff(delay);
      delay = Math.min(delay * 2, maxReconnectDelay);
    }
  }

  private async backOff(ms: number): Promise<void> {
    this.stateValue = 'backing-off';
    try {
      await this.providers.time.sleep(ms, this.stopped.signal);
    } catch {
      // closed while waiting
    }
  }

  /** Connects within `connectionTimeout`; a connection that comes too late is reset. */
  private async connect(): Promise<Stream> {
    const connecting = this.providers.network.connect(this.address);
    try {
      return await this.providers.time.timeout(this.config.connectionTimeout, connecting);
    } catch (err) {
      connecting.then(
        (late) => late.abort(),
        () => undefined,
      );
      throw err;
    }
  }

  private async serveIncoming(stream: Stream): Promise<void> {
    const error = await this.serve(stream);
    if (!this.stopped.signal.aborted) this.counters.disconnects++;
    this.finish(error);
  }

  /**
   * Runs one connection until it fails or the peer is closed: a reader, a writer and (outgoing
   * only) the health monitor. Returns why it ended.
   */
  private async serve(stream: Stream): Promise<MessagingError> {
    const connection = ++this.connections;
    this.servingConnection = true;
    this.queue.connected(connection);
    this.stateValue = 'connected';
    this.events.onStatus(this, true);
    const session = new AbortController();
    const onStop = (): void => session.abort(this.stopped.signal.reason);
    this.stopped.signal.addEventListener('abort', onStop, { once: true });
    const writer = new ConnectionWriter(stream, this.queue, (bytes, packets) => {
      this.counters.bytesSent += bytes;
      this.counters.packetsSent += packets;
    });
    this.writer = writer;
    writer.wake(); // what waited for this connection, reliable messages kept from earlier ones first
    const loops = [this.read(stream, connection), writer.failure];
    if (!this.incoming && this.config.monitor !== null) loops.push(this.monitor(session.signal));
    let error: MessagingError;
    try {
      await Promise.race(loops);
      error = new MessagingError('ConnectionLost', `the connection to ${this.address} ended`);
    } catch (err) {
      error =
        err instanceof MessagingError
          ? err
          : new MessagingError('ConnectionLost', `the connection to ${this.address} failed: ${describeError(err, { stack: false })}`);
    }
    this.stopped.signal.removeEventListener('abort', onStop);
    this.servingConnection = false;
    writer.stop();
    this.writer = null;
    session.abort(error);
    stream.abort();
    this.wake();
    for (const loop of loops) loop.catch(() => undefined);
    return error;
  }

  /**
   * Reads connection number `connection` until it ends or another replaces it (or the peer closes).
   * Checked through a number, not the session's signal: `AbortSignal.aborted` is a getter with a brand
   * check, and this loop asks once per packet.
   */
  private read(stream: Stream, connection: number): Promise<void> {
    const reader = new PacketReader();
    return stream.consume((chunk) => {
      if (!this.isCurrent(connection)) return false;
      this.counters.bytesReceived += chunk.length;
      reader.push(chunk);
      // A corrupt stream throws here: the connection is dropped.
      for (let packet = this.nextPacket(reader); packet !== null; packet = this.nextPacket(reader)) {
        this.counters.packetsReceived++;
        if (packet.token.equals(PING_TOKEN)) this.onPing(packet.payload);
        else this.events.onPacket(packet, this);
        if (!this.isCurrent(connection)) return false;
      }
      return true;
    });
  }

  private isCurrent(connection: number): boolean {
    return this.connections === connection && this.servingConnection && this.stateValue !== 'closed';
  }

  private nextPacket(reader: PacketReader): Packet | null {
    try {
      return reader.next();
    } catch (err) {
      // Coverage for simulations (a no-op elsewhere): corruption on the wire was caught, not delivered.
      if (err instanceof WireError && err.kind === 'ChecksumMismatch') assertReachable(CHECKSUM_CAUGHT);
      throw err;
    }
  }

  private onPing(payload: Uint8Array): void {
    const ping = readPing(payload);
    if (ping === null) return;
    if (!ping.pong) {
      this.queue.setPong(encodePacket(PING_TOKEN, pingPayload(ping.sequence, true)));
      return;
    }
    if (this.pingWaiter?.sequence === ping.sequence) this.pingWaiter.resolve();
  }

  /** Pings every `pingInterval`; tears the connection down when pongs stop and nothing else arrives. */
  private async monitor(signal: AbortSignal): Promise<void> {
    const { pingInterval, pingTimeout, maxToleratedTimeouts } = this.config.monitor as NonNullable<
      PeerConfig['monitor']
    >;
    const { time } = this.providers;
    let tolerated = 0;
    for (;;) {
      await time.sleep(pingInterval, signal);
      const sequence = ++this.pingSequence;
      const receivedBefore = this.counters.bytesReceived;
      const sentAt = time.now();
      this.queue.pushControl(encodePacket(PING_TOKEN, pingPayload(sequence)));
      if (await this.awaitPong(sequence, pingTimeout, signal)) {
        this.counters.pingRoundTripMs = time.now() - sentAt;
        tolerated = 0;
        continue;
      }
      if (this.counters.bytesReceived > receivedBefore && tolerated < maxToleratedTimeouts) {
        tolerated++;
        continue;
      }
      throw new MessagingError(
        'ConnectionLost',
        `no pong from ${this.address} within ${pingTimeout} ms (PeerConfig.monitor.pingTimeout)`,
      );
    }
  }

  /** True when the pong came within `ms`; the losing timer is cancelled either way. */
  private async awaitPong(sequence: number, ms: number, signal: AbortSignal): Promise<boolean> {
    const timer = new AbortController();
    const onAbort = (): void => timer.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    const pong = new Promise<boolean>((resolve) => {
      this.pingWaiter = { sequence, resolve: () => resolve(true) };
    });
    const timeout = this.providers.time.sleep(ms, timer.signal).then(
      () => false,
      () => false,
    );
    try {
      return await Promise.race([pong, timeout]);
    } finally {
      this.pingWaiter = null;
      signal.removeEventListener('abort', onAbort);
      timer.abort();
    }
  }
}
