import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IoError, NodeNetworkProvider, type Stream } from '../../src/index.js';
import { withLoopbackPair } from '../support/loopback-pair.js';

const net = new NodeNetworkProvider();
const text = (s: string): Uint8Array => new TextEncoder().encode(s);

/** A connected loopback pair; also checks that both ends agree on the addresses. */
async function withPair(fn: (client: Stream, server: Stream) => Promise<void>): Promise<void> {
  await withLoopbackPair(async (client, server, clientSeenAt) => {
    assert.equal(clientSeenAt, client.localAddr);
    assert.equal(server.localAddr, client.peerAddr);
    await fn(client, server);
  });
}

async function readAll(stream: Stream, maxBytes?: number): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for (;;) {
    const chunk = await stream.read(maxBytes);
    if (chunk === null) return new Uint8Array(Buffer.concat(parts));
    if (maxBytes !== undefined) assert.ok(chunk.length <= maxBytes);
    assert.ok(chunk.length >= 1);
    parts.push(chunk);
  }
}

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (err: unknown) => err instanceof IoError && err.code === code);
}

test('bind on port 0 reports the real port', async () => {
  const listener = await net.bind('127.0.0.1:0');
  assert.match(listener.localAddr(), /^127\.0\.0\.1:[1-9]\d*$/);
  await listener.close();
});

test('echo round trip', async () => {
  await withPair(async (client, server) => {
    await client.writeAll(text('ping'));
    const got = await server.read();
    assert.deepEqual(got, text('ping'));
    assert.equal(await server.write(text('pong')), 4);
    assert.deepEqual(await client.read(), text('pong'));
  });
});

test('read respects maxBytes and keeps the rest buffered', async () => {
  await withPair(async (client, server) => {
    const data = text('0123456789');
    await client.writeAll(data);
    await client.close();
    assert.deepEqual(await readAll(server, 3), data);
  });
});

/** `writer` sends more than loopback buffers and ours hold while `reader` reads nothing: it must wait. */
async function pushesBack(writer: Stream, reader: Stream): Promise<void> {
  const pattern = Uint8Array.from({ length: 251 }, (_, i) => i);
  const data = new Uint8Array(Buffer.alloc(32 * 1024 * 1024, pattern));
  let written = false;
  const writing = writer.writeAll(data).then(() => {
    written = true;
    return writer.close();
  });
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(written, false);
  const got = await readAll(reader);
  await writing;
  assert.ok(Buffer.from(got).equals(data));
}

test('a reader that stops reading pushes back on the writer', async () => {
  await withPair((client, server) => pushesBack(client, server));
});

// The connecting side reads through Node's `onread` (no 'data' events): pausing must still push back.
test('a connecting side that stops reading pushes back on the accepting side', async () => {
  await withPair((client, server) => pushesBack(server, client));
});

test('graceful close: the peer reads all data, then end of stream', async () => {
  await withPair(async (client, server) => {
    await client.writeAll(text('last words'));
    await client.close();
    assert.deepEqual(await readAll(server), text('last words'));
    assert.equal(await server.read(), null);
    await rejectsWith(client.write(text('x')), 'EPIPE');
  });
});

test('half-close: the other side can still write back', async () => {
  await withPair(async (client, server) => {
    await client.close();
    assert.equal(await server.read(), null);
    await server.writeAll(text('reply'));
    await server.close();
    assert.deepEqual(await readAll(client), text('reply'));
  });
});

test('abort resets the connection for the peer', async () => {
  await withPair(async (client, server) => {
    await client.writeAll(text('unread'));
    const pending = client.read();
    server.abort();
    await rejectsWith(pending, 'ECONNRESET');
    await rejectsWith(client.read(), 'ECONNRESET');
    await rejectsWith(client.write(text('x')), 'ECONNRESET');
    await rejectsWith(server.read(), 'ECONNRESET');
  });
});

test('connect to a closed port is refused', async () => {
  const listener = await net.bind('127.0.0.1:0');
  const addr = listener.localAddr();
  await listener.close();
  await rejectsWith(net.connect(addr), 'ECONNREFUSED');
});

test('bind to a port in use fails with EADDRINUSE', async () => {
  const listener = await net.bind('127.0.0.1:0');
  await rejectsWith(net.bind(listener.localAddr()), 'EADDRINUSE');
  await listener.close();
});

test('closing a listener rejects pending and later accepts', async () => {
  const listener = await net.bind('127.0.0.1:0');
  const pending = listener.accept();
  await listener.close();
  await rejectsWith(pending, 'EBADF');
  await rejectsWith(listener.accept(), 'EBADF');
});

test('bad addresses are a RangeError', async () => {
  for (const addr of ['nope', '127.0.0.1', '127.0.0.1:99999', '300.1.1.1:80', '[::1]80', '']) {
    await assert.rejects(net.connect(addr), RangeError, addr);
    await assert.rejects(net.bind(addr), RangeError, addr);
  }
});

test('read arguments are checked and reads do not overlap', async () => {
  await withPair(async (client) => {
    await assert.rejects(client.read(0), RangeError);
    const first = client.read();
    await assert.rejects(client.read(), /already pending/);
    client.abort();
    await rejectsWith(first, 'ECONNRESET');
  });
});

test('IPv6 loopback addresses print as [addr]:port', async (t) => {
  let listener: Awaited<ReturnType<typeof net.bind>>;
  try {
    listener = await net.bind('[::1]:0');
  } catch (err) {
    if (err instanceof IoError && err.code === 'EADDRNOTAVAIL') return t.skip('no IPv6 loopback');
    throw err;
  }
  const accepted = listener.accept();
  const client = await net.connect(listener.localAddr());
  const [server] = await accepted;
  assert.match(client.peerAddr, /^\[::1\]:\d+$/);
  assert.equal(server.peerAddr, client.localAddr);
  client.abort();
  server.abort();
  await listener.close();
});
