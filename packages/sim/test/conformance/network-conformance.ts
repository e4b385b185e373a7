// The NetworkProvider / Listener / Stream contract of @moonpool/core, written once and run against every
// implementation: the simulated network and real TCP on loopback. The simulation must succeed and
// fail where Node does. Where the two legitimately differ (how data is chunked, which of
// ECONNRESET/EPIPE a write after a reset reports), the assertions accept what the contract allows.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  IoError,
  type Listener,
  type NetworkProvider,
  type Stream,
  type TimeProvider,
} from '@moonpool/core';

/** What one scenario gets: two machines' network providers and a clock. */
export interface NetworkConformanceEnv {
  /** The server machine's network (binds and accepts). */
  readonly server: NetworkProvider;
  /** The client machine's network (connects). */
  readonly client: NetworkProvider;
  /** An address the server may bind: its own IP with port 0 (an ephemeral port). */
  readonly bindAddr: string;
  /** A clock for timeouts (the client machine's). */
  readonly time: TimeProvider;
}

/** Runs one scenario in an environment (a simulation iteration, or plain Node). */
export interface NetworkConformanceHarness {
  run(scenario: (env: NetworkConformanceEnv) => Promise<void>): Promise<void>;
}

/** An address in TEST-NET-1 (RFC 5737): never an address of the machine running the test. */
const FOREIGN_IP = '192.0.2.1';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const text = (s: string): Uint8Array => encoder.encode(s);
const str = (b: Uint8Array): string => decoder.decode(b);

/** Bytes with a position-dependent pattern, so loss, duplication and reordering all show. */
function pattern(length: number, salt = 0): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i * 31 + (i >>> 8) * 7 + salt) & 0xff;
  return out;
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

/** Reads until end of stream. */
async function readToEnd(stream: Stream, maxBytes?: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for (let c = await stream.read(maxBytes); c !== null; c = await stream.read(maxBytes)) {
    assert.ok(c.length > 0, 'read resolved with an empty chunk instead of null');
    chunks.push(c);
  }
  return concat(chunks);
}

/** Reads exactly `n` bytes (fails on a premature end of stream). */
async function readExactly(stream: Stream, n: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let got = 0;
  while (got < n) {
    const c = await stream.read(n - got);
    assert.ok(c !== null, `end of stream after ${got} of ${n} bytes`);
    chunks.push(c);
    got += c.length;
  }
  return concat(chunks);
}

function isIoError(codes: readonly string[]): (err: unknown) => boolean {
  return (err: unknown) => {
    assert.ok(err instanceof IoError, `expected an IoError (${codes.join('/')}), got ${String(err)}`);
    assert.ok(codes.includes(err.code), `expected ${codes.join('/')}, got ${err.code}`);
    return true;
  };
}

async function rejectsIo(promise: Promise<unknown>, ...codes: string[]): Promise<void> {
  await assert.rejects(promise, isIoError(codes));
}

interface Connected {
  listener: Listener;
  client: Stream;
  server: Stream;
  /** The peer address `accept` reported. */
  acceptedFrom: string;
}

async function connectPair(env: NetworkConformanceEnv): Promise<Connected> {
  const listener = await env.server.bind(env.bindAddr);
  const [client, [server, acceptedFrom]] = await Promise.all([
    env.client.connect(listener.localAddr()),
    listener.accept(),
  ]);
  return { listener, client, server, acceptedFrom };
}

/** Echoes everything it reads, then closes its side after end of stream. */
async function echo(stream: Stream): Promise<void> {
  for (let c = await stream.read(); c !== null; c = await stream.read()) await stream.writeAll(c);
  await stream.close();
}

type Scenario = (env: NetworkConformanceEnv) => Promise<void>;

const contract: Record<string, Scenario> = {
  async 'bind on port 0 gets a real port; addresses agree on both ends'(env) {
    const { listener, client, server, acceptedFrom } = await connectPair(env);
    const bound = listener.localAddr();
    assert.match(bound, /:\d+$/);
    assert.notEqual(Number(bound.slice(bound.lastIndexOf(':') + 1)), 0);
    assert.equal(client.peerAddr, bound);
    assert.equal(server.localAddr, bound);
    assert.equal(server.peerAddr, client.localAddr);
    assert.equal(acceptedFrom, server.peerAddr);
    client.abort();
    server.abort();
    await listener.close();
  },

  async 'echo round trip'(env) {
    const { listener, client, server } = await connectPair(env);
    const echoing = echo(server);
    await client.writeAll(text('hello, moonpool'));
    await client.close();
    assert.equal(str(await readToEnd(client)), 'hello, moonpool');
    await echoing;
    await listener.close();
  },

  async 'many writes arrive in order and complete: no loss, no duplication'(env) {
    const { listener, client, server } = await connectPair(env);
    const data = pattern(120_000, 3);
    const received = readToEnd(server, 1000);
    // Writes of varying sizes; a short write is legal and the rest is written next.
    let offset = 0;
    for (let i = 0; offset < data.length; i++) {
      const end = Math.min(data.length, offset + 1 + ((i * 137) % 700));
      let at = offset;
      while (at < end) {
        const n = await client.write(data.subarray(at, end));
        assert.ok(n >= 0 && n <= end - at, `write returned ${n} for ${end - at} bytes`);
        at += n;
      }
      offset = end;
    }
    await client.close();
    const got = await received;
    assert.equal(got.length, data.length);
    assert.deepEqual(got, data);
    await server.close();
    await listener.close();
  },

  async 'writeAll of a large buffer while the peer reads concurrently'(env) {
    const { listener, client, server } = await connectPair(env);
    const data = pattern(400_000, 9);
    const received = readToEnd(server);
    await client.writeAll(data);
    await client.close();
    assert.deepEqual(await received, data);
    await server.close();
    await listener.close();
  },

  async 'read(maxBytes) never returns more than maxBytes, nor less than one byte'(env) {
    const { listener, client, server } = await connectPair(env);
    const data = pattern(20_000, 5);
    const writing = client.writeAll(data).then(() => client.close());
    const sizes = [1, 7, 100, 4096, 3];
    const chunks: Uint8Array[] = [];
    for (let i = 0; ; i++) {
      const max = sizes[i % sizes.length] as number;
      const c = await server.read(max);
      if (c === null) break;
      assert.ok(c.length >= 1 && c.length <= max, `read(${max}) returned ${c.length} bytes`);
      chunks.push(c);
    }
    await writing;
    assert.deepEqual(concat(chunks), data);
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      await assert.rejects(server.read(bad), RangeError, `read(${bad}) must reject with a RangeError`);
    }
    await server.close();
    await listener.close();
  },

  async 'an empty write is harmless: it returns 0 and the peer never reads an empty chunk'(env) {
    const { listener, client, server } = await connectPair(env);
    assert.equal(await client.write(new Uint8Array(0)), 0);
    await client.writeAll(new Uint8Array(0));
    await client.writeAll(text('abc'));
    await client.write(new Uint8Array(0));
    await client.close();
    assert.equal(str(await readToEnd(server)), 'abc');
    await server.close();
    await listener.close();
  },

  async 'only one read may be pending at a time'(env) {
    const { listener, client, server } = await connectPair(env);
    const first = server.read();
    await assert.rejects(server.read(), Error);
    await client.writeAll(text('x'));
    assert.equal(str((await first) ?? new Uint8Array()), 'x');
    await client.close();
    assert.equal(await server.read(), null);
    await server.close();
    await listener.close();
  },

  async 'graceful close: the peer reads all data, then null; the half-closed side can still write back'(env) {
    const { listener, client, server } = await connectPair(env);
    const data = pattern(50_000, 1);
    await client.writeAll(data);
    await client.close();
    assert.deepEqual(await readToEnd(server), data);
    assert.equal(await server.read(), null, 'end of stream is sticky');
    // Half-close: the server's direction is still open.
    await server.writeAll(text('reply after your FIN'));
    await server.close();
    assert.equal(str(await readToEnd(client)), 'reply after your FIN');
    assert.equal(await client.read(), null);
    await listener.close();
  },

  async 'close is idempotent and end of stream arrives after the data written before it'(env) {
    const { listener, client, server } = await connectPair(env);
    await client.writeAll(text('a'));
    await client.writeAll(text('b'));
    await client.close();
    await client.close();
    assert.equal(str(await readToEnd(server)), 'ab');
    await server.close();
    await listener.close();
  },

  async 'abort: the peer\'s next read rejects with ECONNRESET, then its writes fail too'(env) {
    const { listener, client, server } = await connectPair(env);
    // Make sure both ends are fully established before the reset.
    await client.writeAll(text('ping'));
    assert.equal(str(await readExactly(server, 4)), 'ping');
    const pending = server.read();
    client.abort();
    await rejectsIo(pending, 'ECONNRESET');
    await rejectsIo(server.read(), 'ECONNRESET');
    await rejectsIo(server.write(text('too late')), 'ECONNRESET', 'EPIPE');
    // The aborting side itself cannot use the stream any more.
    await rejectsIo(client.write(text('x')), 'ECONNRESET', 'EPIPE');
    await rejectsIo(client.read(), 'ECONNRESET');
    client.abort(); // a second abort is harmless
    await listener.close();
  },

  async 'write after our own close rejects with EPIPE'(env) {
    const { listener, client, server } = await connectPair(env);
    await client.close();
    await rejectsIo(client.write(text('after close')), 'EPIPE');
    await rejectsIo(client.writeAll(text('after close')), 'EPIPE');
    assert.equal(await server.read(), null, 'nothing written after the close arrives');
    await server.close();
    await listener.close();
  },

  async 'connect to an address with no listener rejects ECONNREFUSED'(env) {
    const listener = await env.server.bind(env.bindAddr);
    const addr = listener.localAddr();
    await listener.close();
    await rejectsIo(env.client.connect(addr), 'ECONNREFUSED');
  },

  async 'bind twice on the same address rejects EADDRINUSE; the address is free again after close'(env) {
    const first = await env.server.bind(env.bindAddr);
    const addr = first.localAddr();
    await rejectsIo(env.server.bind(addr), 'EADDRINUSE');
    await first.close();
    const again = await env.server.bind(addr);
    assert.equal(again.localAddr(), addr);
    const [client, [server]] = await Promise.all([env.client.connect(addr), again.accept()]);
    await client.close();
    assert.equal(await server.read(), null);
    await server.close();
    await again.close();
  },

  async 'binding an address of another host rejects EADDRNOTAVAIL'(env) {
    await rejectsIo(env.server.bind(`${FOREIGN_IP}:0`), 'EADDRNOTAVAIL');
  },

  async 'bad address strings reject with a RangeError, and the network still works'(env) {
    const bad = ['', 'nonsense', '127.0.0.1', '10.0.0.1:', ':80', '1.2.3.4:99999', '1.2.3:80', 'localhost:80', '[::1]80'];
    for (const addr of bad) {
      await assert.rejects(env.server.bind(addr), RangeError, `bind(${JSON.stringify(addr)})`);
      await assert.rejects(env.client.connect(addr), RangeError, `connect(${JSON.stringify(addr)})`);
    }
    const { listener, client, server } = await connectPair(env);
    const echoing = echo(server);
    await client.writeAll(text('still fine'));
    await client.close();
    assert.equal(str(await readToEnd(client)), 'still fine');
    await echoing;
    await listener.close();
  },

  async 'listener.close makes a pending accept reject; accepted connections keep working'(env) {
    const { listener, client, server } = await connectPair(env);
    const pending = listener.accept();
    await listener.close();
    await assert.rejects(pending, IoError);
    await assert.rejects(listener.accept(), IoError);
    await rejectsIo(env.client.connect(listener.localAddr()), 'ECONNREFUSED');
    const echoing = echo(server);
    await client.writeAll(text('after the listener closed'));
    await client.close();
    assert.equal(str(await readToEnd(client)), 'after the listener closed');
    await echoing;
  },

  async 'concurrent connections are independent byte streams'(env) {
    const listener = await env.server.bind(env.bindAddr);
    const n = 5;
    // One accept at a time; each accepted connection is served concurrently with the others.
    const serving = (async () => {
      const echoes: Promise<void>[] = [];
      for (let i = 0; i < n; i++) echoes.push(echo((await listener.accept())[0]));
      await Promise.all(echoes);
    })();
    const results = await Promise.all(
      Array.from({ length: n }, async (_, i) => {
        const s = await env.client.connect(listener.localAddr());
        const data = pattern(3000 + i * 1000, i + 11);
        const reply = readToEnd(s);
        await s.writeAll(data);
        await s.close();
        assert.deepEqual(await reply, data, `connection ${i}`);
        return s.localAddr;
      }),
    );
    assert.equal(new Set(results).size, n, 'every connection has its own local address');
    await serving;
    await listener.close();
  },

  async 'several accepts may be pending at once (each gets its own connection)'(env) {
    const listener = await env.server.bind(env.bindAddr);
    const n = 3;
    const accepting = Promise.all(Array.from({ length: n }, () => listener.accept()));
    accepting.catch(() => {}); // awaited below; do not report it as unhandled meanwhile
    const clients = await Promise.all(Array.from({ length: n }, () => env.client.connect(listener.localAddr())));
    const accepted = await accepting;
    assert.deepEqual(
      new Set(accepted.map(([, peer]) => peer)),
      new Set(clients.map((c) => c.localAddr)),
    );
    for (const c of clients) await c.close();
    for (const [s] of accepted) {
      assert.equal(await s.read(), null);
      await s.close();
    }
    await listener.close();
  },

  async 'consume hands every chunk over in order, what was buffered first, then resolves at end of stream'(env) {
    const { listener, client, server } = await connectPair(env);
    const data = pattern(50_000, 13);
    await server.writeAll(data.subarray(0, 1000));
    await env.time.sleep(50); // delivered before the client consumes: it must come first
    const received: Uint8Array[] = [];
    const consumed = client.consume((chunk) => received.push(chunk) > 0);
    for (let at = 1000; at < data.length; at += 7000) await server.writeAll(data.subarray(at, at + 7000));
    await server.close();
    await consumed;
    assert.ok(received.every((c) => c.length > 0), 'an empty chunk was handed over');
    assert.deepEqual(concat(received), data);
    // The other direction: the accepted end consumes too.
    const echoed: Uint8Array[] = [];
    const back = server.consume((chunk) => echoed.push(chunk) > 0);
    await client.writeAll(data);
    await client.close();
    await back;
    assert.deepEqual(concat(echoed), data);
    await listener.close();
  },

  async 'consume stops when the consumer returns false, and read takes up the rest'(env) {
    const { listener, client, server } = await connectPair(env);
    const data = pattern(30_000, 17);
    const writing = client.writeAll(data).then(() => client.close());
    const first: Uint8Array[] = [];
    await server.consume((chunk) => {
      first.push(chunk);
      return false;
    });
    assert.equal(first.length, 1, 'a chunk was handed over after the consumer said stop');
    const rest = await readToEnd(server);
    await writing;
    assert.deepEqual(concat([...first, rest]), data);
    await server.close();
    await listener.close();
  },

  async 'consume rejects after a reset, and with what the consumer threw'(env) {
    const { listener, client, server } = await connectPair(env);
    const reset = server.consume(() => true);
    client.abort();
    await rejectsIo(reset, 'ECONNRESET');
    const [other, [accepted]] = await Promise.all([env.client.connect(listener.localAddr()), listener.accept()]);
    const boom = new Error('consumer failed');
    const thrown = accepted.consume(() => {
      throw boom;
    });
    await other.writeAll(text('x'));
    await assert.rejects(thrown, (err) => err === boom);
    other.abort();
    accepted.abort();
    await listener.close();
  },

  async 'one reader at a time: no consume during a read, no read during a consume'(env) {
    const { listener, client, server } = await connectPair(env);
    const reading = server.read();
    await assert.rejects(server.consume(() => true), /already pending/);
    await client.writeAll(text('a'));
    assert.equal(str((await reading) as Uint8Array), 'a');
    const consumed = server.consume(() => true);
    await assert.rejects(server.read(), /already pending/);
    await assert.rejects(server.consume(() => true), /already pending/);
    await client.close();
    await consumed;
    await server.close();
    await listener.close();
  },
};

export interface NetworkConformanceOptions {
  /** Cases this implementation is known to fail, by title, with the reason (registered as `todo`). */
  todo?: Readonly<Record<string, string>>;
}

/** Titles of every case, for `todo` maps. */
export const NETWORK_CONTRACT_CASES: readonly string[] = Object.freeze(Object.keys(contract));

/**
 * Registers the contract's tests under `name`. `makeEnv` is called once per test and runs the
 * scenario in a fresh environment.
 */
export function networkConformance(
  name: string,
  makeEnv: () => NetworkConformanceHarness,
  options: NetworkConformanceOptions = {},
): void {
  const todo = options.todo ?? {};
  for (const title of Object.keys(todo)) {
    if (!NETWORK_CONTRACT_CASES.includes(title)) throw new RangeError(`no contract case named ${JSON.stringify(title)}`);
  }
  describe(`network contract: ${name}`, () => {
    for (const [title, scenario] of Object.entries(contract)) {
      const reason = todo[title];
      const opts = reason === undefined ? { timeout: 10_000 } : { timeout: 10_000, todo: reason };
      it(title, opts, () => makeEnv().run(scenario));
    }
  });
}
