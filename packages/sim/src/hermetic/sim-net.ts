import dns from 'node:dns';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import type { Machine } from '../kernel/machine.js';
import type { SimWorld } from '../kernel/world.js';
import { simulatedWorld } from './active.js';
import { simSetImmediate } from './sim-timers.js';
import { simulatedNet, type SimulatedNet } from './simulated-net.js';

// Taken when the module loads, before any patch.
const real = {
  lookup: dns.lookup,
  promisesLookup: dns.promises.lookup,
  connect: net.connect,
  createConnection: net.createConnection,
};

interface LookupOptions {
  family?: number | 'IPv4' | 'IPv6';
  all?: boolean;
}
interface LookupAddress {
  address: string;
  family: number;
}

/** Simulated code on a machine, and the iteration's network: what the stand-ins below need. */
function simulatedCaller(): { world: SimWorld; from: Machine; net: SimulatedNet } | null {
  const world = simulatedWorld();
  const net = simulatedNet();
  const from = world?.current ?? null;
  return world === null || net === null || from === null ? null : { world, from, net };
}

function notFound(hostname: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
    code: 'ENOTFOUND',
    errno: -3008,
    syscall: 'getaddrinfo',
    hostname,
  });
}

/** Machine names and `localhost` through the simulated topology; IP literals as they are. */
function resolve(hostname: string, from: Machine, simNet: SimulatedNet, options: LookupOptions): LookupAddress[] {
  const family = options.family === 'IPv6' ? 6 : options.family === 'IPv4' ? 4 : (options.family ?? 0);
  const literal = net.isIP(hostname);
  const ips = literal !== 0 ? [hostname] : simNet.resolve(hostname, from);
  return ips
    .map((address) => ({ address, family: net.isIP(address) }))
    .filter((a) => family === 0 || a.family === family);
}

function lookupOptions(options: unknown): LookupOptions {
  if (typeof options === 'number') return { family: options };
  return typeof options === 'object' && options !== null ? (options as LookupOptions) : {};
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address?: string | LookupAddress[], family?: number) => void;

/** `dns.lookup(hostname[, options], callback)`: answers in a 0 ms event of the calling machine. */
export function simLookup(hostname: string, ...rest: unknown[]): void {
  const caller = simulatedCaller();
  if (caller === null) {
    (real.lookup as (...a: unknown[]) => void)(hostname, ...rest);
    return;
  }
  const callback = rest.pop();
  if (typeof callback !== 'function') {
    throw Object.assign(new TypeError('The "callback" argument must be of type function'), {
      code: 'ERR_INVALID_ARG_TYPE',
    });
  }
  const options = lookupOptions(rest[0]);
  const found = resolve(String(hostname), caller.from, caller.net, options);
  const answer = callback as LookupCallback;
  simSetImmediate(() => {
    const first = found[0];
    if (first === undefined) answer(notFound(hostname));
    else if (options.all) answer(null, found);
    else answer(null, first.address, first.family);
  });
}

/** `dns.promises.lookup(hostname[, options])`. */
export function simPromisesLookup(hostname: string, options?: unknown): Promise<LookupAddress | LookupAddress[]> {
  const caller = simulatedCaller();
  if (caller === null) return (real.promisesLookup as (...a: unknown[]) => Promise<LookupAddress>)(hostname, options);
  return new Promise((resolveAnswer, reject) => {
    simLookup(hostname, options ?? {}, (err: Error | null, address?: string | LookupAddress[], family?: number) => {
      if (err !== null) reject(err);
      else resolveAnswer(Array.isArray(address) ? address : { address: address as string, family: family as number });
    });
  });
}

interface ConnectOptions {
  host?: string;
  port?: number | string;
  path?: string;
  fd?: number;
  timeout?: number;
}

/** The arguments of `net.connect` in one form: options and an optional 'connect' listener. */
function connectArgs(args: unknown[]): { options: ConnectOptions; listener: (() => void) | undefined } | null {
  const last = args[args.length - 1];
  const listener = typeof last === 'function' ? (last as () => void) : undefined;
  const first = args[0];
  if (typeof first === 'object' && first !== null) return { options: first as ConnectOptions, listener };
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    return { options: { port: first, host: typeof args[1] === 'string' ? args[1] : undefined }, listener };
  }
  return null; // a path: an IPC socket, left real
}

/**
 * `net.connect` / `net.createConnection` for TCP from simulated code: a socket over the simulated
 * network of the calling machine, the host resolved as `dns.lookup` does. Sockets on a path or a
 * file descriptor stay real (Node creates `process.stderr` that way).
 */
function simConnectVia(realConnect: (...a: unknown[]) => unknown) {
  return function connect(...args: unknown[]): unknown {
    const caller = simulatedCaller();
    const parsed = caller === null ? null : connectArgs(args);
    if (caller === null || parsed === null || parsed.options.path !== undefined || parsed.options.fd !== undefined) {
      return realConnect(...args);
    }
    const { options, listener } = parsed;
    const host = options.host ?? 'localhost';
    const port = Number(options.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw Object.assign(new RangeError(`Port should be >= 0 and < 65536. Received ${String(options.port)}.`), {
        code: 'ERR_SOCKET_BAD_PORT',
      });
    }
    const address = resolve(host, caller.from, caller.net, {})[0];
    const socket: Duplex =
      address === undefined ? failedSocket(notFound(host)) : caller.net.connect(caller.from, address.address, port);
    if (options.timeout !== undefined) (socket as unknown as net.Socket).setTimeout(options.timeout);
    if (listener !== undefined) socket.once('connect', listener);
    return socket;
  };
}

/** A socket whose lookup failed: it errors on the next turn, as net's does. */
function failedSocket(err: Error): Duplex {
  const socket = new net.Socket();
  simSetImmediate(() => socket.destroy(err));
  return socket;
}

export const simConnect = simConnectVia(real.connect as (...a: unknown[]) => unknown);
export const simCreateConnection = simConnectVia(real.createConnection as (...a: unknown[]) => unknown);

export const dnsModule = dns;
export const netModule = net;
