import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { IoError, NodeProviders, type Listener, type Stream } from '@moonpool/core';
import { StreamSocket } from '../../src/index.js';
import { ManualClock, settle } from '../support/manual-clock.js';

const providers = new NodeProviders();
const time = providers.time;

/** A stream that only carries addresses. */
function fakeStream(localAddr: string, peerAddr: string): Stream {
  const never = new Promise<never>(() => {});
  return {
    localAddr,
    peerAddr,
    read: () => never,
    consume: () => never,
    write: (data) => Promise.resolve(data.length),
    writeAll: () => Promise.resolve(),
    close: () => Promise.resolve(),
    abort: () => {},
  };
}

async function readAll(stream: Stream): Promise<string> {
  let text = '';
  for (let chunk = await stream.read(); chunk !== null; chunk = await stream.read()) {
    text += Buffer.from(chunk).toString();
  }
  return text;
}

async function closed(socket: StreamSocket): Promise<void> {
  if (!socket.closed) await once(socket, 'close');
}

async function collect(socket: StreamSocket): Promise<string> {
  let text = '';
  socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
  await once(socket, 'end');
  return text;
}

describe('StreamSocket over loopback TCP', () => {
  let listener: Listener;
  const connectPair = async (): Promise<[Stream, Stream]> => {
    const [client, [server]] = await Promise.all([
      providers.network.connect(listener.localAddr()),
      listener.accept(),
    ]);
    return [client, server];
  };

  before(async () => {
    listener = await providers.network.bind('127.0.0.1:0');
  });

  after(async () => {
    await listener.close();
  });

  it('round-trips data and counts bytes', async () => {
    const [clientStream, serverStream] = await connectPair();
    const server = new StreamSocket(serverStream, { time });
    server.pipe(server); // echo; allowHalfOpen false ends it once the client has ended
    const client = new StreamSocket(clientStream, { time });
    const received = collect(client);
    client.write('hello ');
    client.end('world');
    assert.equal(await received, 'hello world');
    await Promise.all([closed(client), closed(server)]);
    assert.equal(client.bytesWritten, 11);
    assert.equal(client.bytesRead, 11);
    assert.equal(server.bytesRead, 11);
  });

  it('ends our side after the peer ends when allowHalfOpen is false', async () => {
    const [clientStream, serverStream] = await connectPair();
    const server = new StreamSocket(serverStream, { time });
    server.resume();
    await clientStream.writeAll(Buffer.from('bye'));
    await clientStream.close();
    assert.equal(await clientStream.read(), null);
    await closed(server);
    assert.equal(server.readyState, 'closed');
  });

  it('keeps writing after the peer ends when allowHalfOpen is true', async () => {
    const [clientStream, serverStream] = await connectPair();
    const server = new StreamSocket(serverStream, { time, allowHalfOpen: true });
    const request = collect(server);
    await clientStream.writeAll(Buffer.from('question'));
    await clientStream.close();
    assert.equal(await request, 'question');
    assert.equal(server.readyState, 'writeOnly');
    server.end('answer');
    assert.equal(await readAll(clientStream), 'answer');
    await closed(server);
  });

  it('destroy() before end with nothing unread ends the connection with a FIN', async () => {
    const [clientStream, serverStream] = await connectPair();
    const server = new StreamSocket(serverStream, { time });
    server.write('sent before destroy');
    await new Promise((resolve) => setImmediate(resolve));
    server.destroy();
    assert.equal(await readAll(clientStream), 'sent before destroy');
    await clientStream.close(); // the destroyed socket reads on, to reset if more data came
  });

  it('destroy() with data left unread resets the peer', async () => {
    const [clientStream, serverStream] = await connectPair();
    const server = new StreamSocket(serverStream, { time });
    await clientStream.writeAll(Buffer.from('never read'));
    await once(server, 'readable');
    assert.ok(server.readableLength > 0);
    server.destroy();
    await assert.rejects(readAll(clientStream), (err: unknown) => err instanceof IoError && err.code === 'ECONNRESET');
  });

  it('destroySoon() flushes and ends gracefully', async () => {
    const [clientStream, serverStream] = await connectPair();
    const server = new StreamSocket(serverStream, { time });
    server.write('last words');
    server.destroySoon();
    assert.equal(server.writable, false);
    assert.equal(await readAll(clientStream), 'last words');
    await clientStream.close();
    await closed(server);
  });

  it('reports a peer reset as an ECONNRESET error like net', async () => {
    const [clientStream, serverStream] = await connectPair();
    const server = new StreamSocket(serverStream, { time });
    server.resume();
    clientStream.abort();
    const [err] = (await once(server, 'error')) as [NodeJS.ErrnoException];
    assert.equal(err.code, 'ECONNRESET');
    assert.equal(err.syscall, 'read');
    assert.match(err.message, /^read ECONNRESET/);
  });

  it('emits timeout after the idle time on the real clock', async () => {
    const [clientStream, serverStream] = await connectPair();
    const server = new StreamSocket(serverStream, { time });
    const start = time.now();
    let calls = 0;
    server.setTimeout(30, () => calls++);
    assert.equal(server.timeout, 30);
    await once(server, 'timeout');
    assert.ok(time.now() - start >= 29, `fired after ${time.now() - start} ms`);
    assert.equal(calls, 1);
    server.destroy();
    clientStream.abort();
  });

  it('connects from a promised stream like net.createConnection', async () => {
    const socket = new StreamSocket(providers.network.connect(listener.localAddr()), { time });
    assert.equal(socket.connecting, true);
    assert.equal(socket.readyState, 'opening');
    assert.equal(socket.remoteAddress, undefined);
    socket.end('early'); // waits for the connection
    const [[serverStream]] = await Promise.all([listener.accept(), once(socket, 'connect')]);
    assert.equal(socket.connecting, false);
    assert.equal(socket.remoteAddress, '127.0.0.1');
    assert.equal(await readAll(serverStream), 'early');
    await serverStream.close();
    socket.resume();
    await closed(socket);
  });

  it('reports addresses like net', async () => {
    const [clientStream, serverStream] = await connectPair();
    const server = new StreamSocket(serverStream, { time });
    const client = new StreamSocket(clientStream, { time });
    const port = Number(listener.localAddr().split(':')[1]);
    assert.equal(server.localAddress, '127.0.0.1');
    assert.equal(server.localPort, port);
    assert.equal(server.remoteFamily, 'IPv4');
    assert.equal(server.remotePort, client.localPort);
    assert.deepEqual(client.address(), { address: '127.0.0.1', family: 'IPv4', port: client.localPort });
    assert.equal(client.remotePort, port);
    assert.equal(client.readyState, 'open');
    assert.equal(client.connecting, false);
    assert.equal(client.pending, false);
    assert.equal(client.setNoDelay().noDelay, true);
    assert.equal(client.setKeepAlive(true, 500).keepAlive, true);
    assert.equal(client.ref().unref(), client);
    client.destroy();
    server.destroy();
  });
});

describe('StreamSocket without a network', () => {
  it('parses IPv6 addresses', () => {
    const socket = new StreamSocket(fakeStream('[::1]:80', '[fe80::2]:4000'), { time });
    assert.deepEqual(socket.address(), { address: '::1', family: 'IPv6', port: 80 });
    assert.equal(socket.remoteAddress, 'fe80::2');
    assert.equal(socket.remotePort, 4000);
    assert.equal(socket.remoteFamily, 'IPv6');
    socket.destroy();
  });

  it('reports a failed connect as an error', async () => {
    const socket = new StreamSocket(Promise.reject(new IoError('ECONNREFUSED', 'refused')), { time });
    const [err] = (await once(socket, 'error')) as [NodeJS.ErrnoException];
    assert.equal(err.code, 'ECONNREFUSED');
    assert.equal(err.syscall, 'connect');
    assert.equal(socket.connecting, false);
  });

  it('resets a connection that arrives after destroy', async () => {
    let connect: (stream: Stream) => void = () => {};
    const socket = new StreamSocket(new Promise<Stream>((resolve) => (connect = resolve)), { time });
    socket.write('never sent');
    socket.destroy();
    await closed(socket);
    let aborted = false;
    connect({ ...fakeStream('10.0.0.1:1', '10.0.0.2:2'), abort: () => (aborted = true) });
    await settle();
    assert.equal(aborted, true);
  });

  it('runs its idle timeout on the given clock: activity postpones it, 0 disables it', async () => {
    const clock = new ManualClock();
    const socket = new StreamSocket(fakeStream('10.0.0.1:1', '10.0.0.2:2'), { time: clock });
    let fired = 0;
    socket.on('timeout', () => fired++);
    socket.setTimeout(100);
    await clock.advance(60);
    socket.write('x'); // activity at 60: idle until 160
    await clock.advance(60);
    assert.equal(fired, 0);
    await clock.advance(40);
    assert.equal(fired, 1);
    await clock.advance(500);
    assert.equal(fired, 1, 'fires once per idle period');
    socket.write('y'); // activity re-arms it
    await clock.advance(100);
    assert.equal(fired, 2);
    socket.setTimeout(0);
    socket.write('z');
    await clock.advance(1000);
    assert.equal(fired, 2);
    assert.equal(clock.pending, 0);
    socket.setTimeout(100);
    socket.destroy();
    assert.equal(clock.pending, 0, 'destroy cancels the timer');
  });
});
