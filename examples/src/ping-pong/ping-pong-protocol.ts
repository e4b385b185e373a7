import { WellKnownToken } from 'moonpool';

/** The port the ping-pong server listens on in simulation (for real, any: `127.0.0.1:0` picks one). */
export const PING_PONG_PORT = 4700;

/** The ping endpoint is well-known: a client needs nothing but the server's address to reach it. */
export const PING_WELL_KNOWN = WellKnownToken.FirstAvailable;

export interface Ping {
  readonly seq: number;
}

export interface Pong {
  readonly seq: number;
  /** How many pings the server had answered, this one included. */
  readonly served: number;
}
