/** What a peer has done so far (counters since it was created). */
export interface PeerMetrics {
  /** Bytes written to its connections, packet headers included. */
  readonly bytesSent: number;
  /** Bytes read from its connections, packet headers included. */
  readonly bytesReceived: number;
  /** Packets written to its connections, pings and pongs included. */
  readonly packetsSent: number;
  /** Packets read from its connections, pings and pongs included. */
  readonly packetsReceived: number;
  /** Connections established after the first one. */
  readonly reconnects: number;
  /** Established connections that ended (closed or reset by the other side, corrupt, unhealthy). */
  readonly disconnects: number;
  /** Connection attempts that failed (refused, timed out), in all. */
  readonly connectionFailures: number;
  /** Reliable messages kept for (re)sending until their sender cancels them. */
  readonly reliableQueueDepth: number;
  /** Unreliable messages waiting for the connection. */
  readonly unreliableQueueDepth: number;
  /** Round trip of the last answered ping, in ms (null: none yet). */
  readonly pingRoundTripMs: number | null;
}
