// What NodeStream promises beyond the Stream contract: reads hand out the socket's chunks without
// copying, writes resolve once Node has written the bytes (a tick later), and an unread stream stops
// reading at its high-water mark.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, connect, type Socket } from 'node:net';
import { test } from 'node:test';
import { IoError, type Stream } from '../../src/index.js';
import { withLoopbackPair } from '../support/loopback-pair.js';
import { NodeStream } from '../../src/node/node-stream.js';

const withPair = withLoopbackPair;

/** `length` bytes in a pattern that differs with `salt`, so a chunk overwritten later shows. */
function pattern(length: number, salt: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i * 7 + (i >>> 8) + salt) & 0xff;
  return out;
}

async function readExactly(stream: Stream, length: number, chunks: Uint8Array[] = []): Promise<Uint8Array> {
  const start = chunks.length;
  let got = 0;
  while (got < length) {
    const chunk = await stream.read();
    assert.ok(chunk !== null, 'unexpected end of stream');
    chunks.push(chunk);
    got += chunk.length;
  }
  return new Uint8Array(Buffer.concat(chunks.slice(start)));
}

async function rejectsWith(promise: Promise<unknown>, ...codes: string[]): Promise<void> {
  await assert.rejects(promise, (err: unknown) => err instanceof IoError && codes.includes(err.code));
}

test('reads hand out plain Uint8Arrays holding exactly the bytes, which later reads never change', async () => {
  await withPair(async (client, server) => {
    const kept: Uint8Array[] = [];
    const sent: Uint8Array[] = [];
    for (let i = 0; i < 200; i++) {
      const message = pattern(1 + ((i * 37) % 300), i);
      sent.push(message);
      await client.writeAll(message);
      assert.deepEqual(await readExactly(server, message.length, kept), message);
    }
    for (const chunk of kept) assert.equal(Object.getPrototypeOf(chunk), Uint8Array.prototype);
    // Every chunk still holds what it held when it was read.
    assert.deepEqual(new Uint8Array(Buffer.concat(kept)), new Uint8Array(Buffer.concat(sent)));
  });
});

test('a read smaller than the buffered chunk returns its prefix; the rest follows intact', async () => {
  await withPair(async (client, server) => {
    const message = pattern(100, 1);
    await client.writeAll(message);
    await client.close();
    const first = await server.read(30);
    assert.deepEqual(first, message.subarray(0, 30));
    const rest: Uint8Array[] = [];
    for (let c = await server.read(); c !== null; c = await server.read()) rest.push(c);
    assert.deepEqual(new Uint8Array(Buffer.concat(rest)), message.subarray(30));
    assert.deepEqual(first, message.subarray(0, 30));
  });
});

test('once a write resolves the caller may reuse its buffer', async () => {
  await withPair(async (client, server) => {
    // Small: taken by the kernel within write. Large: resolved only after the peer made room.
    for (const length of [64, 8 * 1024 * 1024]) {
      const data = pattern(length, length);
      const expected = data.slice();
      const reading = readExactly(server, length);
      await client.writeAll(data);
      data.fill(0);
      assert.ok(Buffer.from(await reading).equals(expected));
    }
    const data = pattern(10, 3);
    assert.equal(await client.write(data), 10);
    data.fill(0);
    assert.deepEqual(await readExactly(server, 10), pattern(10, 3));
  });
});

test('a write resolves a tick later, so a writer that awaits it batches what was queued meanwhile', async () => {
  await withPair(async (client, server) => {
    let resolved = false;
    const writing = client.writeAll(pattern(64, 9)).then(() => {
      resolved = true;
    });
    for (let i = 0; i < 100; i++) await Promise.resolve(); // microtasks only
    assert.equal(resolved, false);
    await writing;
    assert.deepEqual(await readExactly(server, 64), pattern(64, 9));
  });
});

test('a small write the kernel cannot take at once resolves only after it did', async () => {
  await withPair(async (client, server) => {
    // The server does not read: 8 KiB writes (under Node's 16 KiB write high-water mark, so
    // socket.write says "go on") fill the kernel buffers until one is left in Node's hands.
    const block = 8 * 1024;
    let blocks = 0;
    for (;;) {
      const data = pattern(block, blocks++);
      const written = client.write(data).then(() => data.fill(0)); // reuse as soon as allowed
      const stuck = await Promise.race([
        written.then(() => false),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 50)),
      ]);
      if (!stuck) continue;
      const got = await readExactly(server, blocks * block);
      await written;
      for (let i = 0; i < blocks; i++) {
        assert.ok(Buffer.from(got.subarray(i * block, (i + 1) * block)).equals(pattern(block, i)), `block ${i}`);
      }
      return;
    }
  });
});

test('a write waiting for a peer that does not read rejects when either end resets', async () => {
  const big = new Uint8Array(32 * 1024 * 1024);
  await withPair(async (client) => {
    const writing = client.writeAll(big);
    await new Promise((resolve) => setTimeout(resolve, 50));
    client.abort();
    await rejectsWith(writing, 'ECONNRESET');
    await rejectsWith(client.write(big), 'ECONNRESET');
  });
  await withPair(async (client, server) => {
    const writing = client.write(big);
    await new Promise((resolve) => setTimeout(resolve, 50));
    server.abort();
    await rejectsWith(writing, 'ECONNRESET', 'EPIPE');
    await rejectsWith(client.writeAll(big), 'ECONNRESET', 'EPIPE');
  });
});

test('an unread stream pauses its socket at the high-water mark and resumes when read', async () => {
  const HIGH_WATER = 1024 * 1024;
  const total = 8 * 1024 * 1024;
  const server = createServer((socket) => {
    socket.on('error', () => {}); // reset by our abort if an assertion fails
    socket.end(pattern(total, 5));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  const socket: Socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
  await once(socket, 'connect');
  const stream = new NodeStream(socket);
  try {
    // Wait until the sender stops making progress: our buffer is full and the socket paused.
    let before = -1;
    while (socket.bytesRead !== before) {
      before = socket.bytesRead;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.ok(socket.isPaused());
    // The last chunk may cross the mark, and Node's own readable buffer holds a little more.
    assert.ok(socket.bytesRead >= HIGH_WATER && socket.bytesRead < 2 * HIGH_WATER, `read ${socket.bytesRead}`);
    const chunks: Uint8Array[] = [];
    for (let c = await stream.read(); c !== null; c = await stream.read()) chunks.push(c);
    assert.ok(Buffer.concat(chunks).equals(pattern(total, 5)));
  } finally {
    stream.abort();
    server.close();
  }
});
