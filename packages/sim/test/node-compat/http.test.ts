import assert from 'node:assert/strict';
import { createHook } from 'node:async_hooks';
import { request, type Agent, type IncomingHttpHeaders, type RequestListener, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { describe, it } from 'node:test';
import { NodeProviders, type NetworkProvider, type TimeProvider } from '@moonpool/core';
import { createSimHttpServer, httpAgent, serveHttp, type HttpServing } from '../../src/index.js';
import { ManualClock } from '../support/manual-clock.js';

const providers = new NodeProviders();
const { network } = providers;

interface Running {
  server: Server;
  serving: HttpServing;
  port: number;
  /** Connections the server was handed. */
  connections: number;
}

async function startServer(handler: RequestListener, time: TimeProvider = providers.time): Promise<Running> {
  const listener = await network.bind('127.0.0.1:0');
  const server = createSimHttpServer(handler);
  const running: Running = {
    server,
    serving: serveHttp(server, listener, time),
    port: Number(listener.localAddr().split(':')[1]),
    connections: 0,
  };
  server.on('connection', () => running.connections++);
  return running;
}

interface Reply {
  status: number | undefined;
  headers: IncomingHttpHeaders;
  body: string;
  reusedSocket: boolean;
}

interface Send {
  method?: string;
  path?: string;
  body?: string;
}

function send(agent: Agent, port: number, options: Send = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, agent, method: options.method, path: options.path }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode, headers: res.headers, body, reusedSocket: req.reusedSocket }),
      );
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const echo: RequestListener = (req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => (body += chunk));
  req.on('end', () => res.end(`${req.method} ${req.url} ${body.length}:${body.slice(0, 10)}`));
};

describe('node:http over a NetworkProvider', () => {
  it('serves a GET without a Date header', async () => {
    const running = await startServer(echo);
    const agent = httpAgent(network, providers.time);
    const reply = await send(agent, running.port, { path: '/hello' });
    assert.equal(reply.status, 200);
    assert.equal(reply.body, 'GET /hello 0:');
    assert.equal(reply.headers.date, undefined);
    agent.destroy();
    await running.serving.close();
  });

  it('serves a POST with a large body', async () => {
    const running = await startServer(echo);
    const agent = httpAgent(network, providers.time);
    const body = 'abcdefghij'.repeat(50_000);
    const reply = await send(agent, running.port, { method: 'POST', path: '/upload', body });
    assert.equal(reply.body, `POST /upload ${body.length}:abcdefghij`);
    agent.destroy();
    await running.serving.close();
  });

  it('reuses one connection for two requests with a keep-alive agent', async () => {
    const running = await startServer(echo);
    const agent = httpAgent(network, providers.time, { keepAlive: true });
    const first = await send(agent, running.port, { path: '/1' });
    const second = await send(agent, running.port, { path: '/2' });
    assert.deepEqual([first.body, second.body], ['GET /1 0:', 'GET /2 0:']);
    assert.deepEqual([first.reusedSocket, second.reusedSocket], [false, true]);
    assert.equal(running.connections, 1);
    agent.destroy();
    await running.serving.close();
  });

  it('opens a connection per request without keep-alive', async () => {
    const running = await startServer(echo);
    const agent = httpAgent(network, providers.time);
    await send(agent, running.port);
    await send(agent, running.port);
    assert.equal(running.connections, 2);
    await running.serving.close();
  });

  it('reports a socket destroyed by the handler as a client error', async () => {
    const running = await startServer((req) => req.socket.destroy());
    const agent = httpAgent(network, providers.time);
    await assert.rejects(send(agent, running.port), (err: NodeJS.ErrnoException) => err.code === 'ECONNRESET');
    await running.serving.close();
  });

  it('reports a refused connection', async () => {
    const running = await startServer(echo);
    await running.serving.close();
    const agent = httpAgent(network, providers.time);
    await assert.rejects(send(agent, running.port), (err: NodeJS.ErrnoException) => {
      assert.equal(err.code, 'ECONNREFUSED');
      assert.equal(err.message, `connect ECONNREFUSED 127.0.0.1:${running.port}`);
      return true;
    });
  });
});

describe('node:http timers', () => {
  it('runs the server keep-alive timeout on the given clock', async () => {
    const clock = new ManualClock();
    const running = await startServer(echo, clock);
    running.server.keepAliveTimeout = 100;
    const accepted = new Promise<Duplex>((resolve) => running.server.once('connection', resolve));
    const client = await network.connect(`127.0.0.1:${running.port}`);
    await client.writeAll(Buffer.from('GET / HTTP/1.1\r\nHost: test\r\n\r\n'));
    let response = '';
    while (!response.endsWith('GET / 0:')) response += Buffer.from((await client.read()) ?? []).toString();
    assert.match(response, /^HTTP\/1.1 200 OK\r\n/);
    const socket = await accepted;
    await clock.advance(1099); // node adds 1 s to keepAliveTimeout
    assert.equal(socket.destroyed, false);
    await clock.advance(1);
    assert.equal(socket.destroyed, true);
    // Nothing was left unread: the server's destroy() closes with a FIN, as Node's does.
    assert.equal(await client.read(), null);
    await client.close();
    await running.serving.close();
  });

  it('runs a client request timeout on the given clock', async () => {
    const clock = new ManualClock();
    const running = await startServer(() => {}); // never answers
    const agent = httpAgent(network, clock);
    const req = request({ host: '127.0.0.1', port: running.port, agent, timeout: 50 });
    const failed = new Promise<Error>((resolve) => req.on('error', resolve));
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.end();
    await new Promise((resolve) => req.on('socket', resolve));
    await clock.advance(49);
    assert.equal(req.destroyed, false);
    await clock.advance(1);
    assert.equal((await failed).message, 'timed out');
    await running.serving.close();
  });

  it('runs a client request timeout while the connection is still being made', async () => {
    const clock = new ManualClock();
    const blackHole: NetworkProvider = {
      bind: () => Promise.reject(new Error('not used')),
      connect: () => new Promise(() => {}), // the SYN vanished
    };
    const agent = httpAgent(blackHole, clock);
    const req = request({ host: '10.0.0.1', port: 80, agent, timeout: 50 });
    const failed = new Promise<Error>((resolve) => req.on('error', resolve));
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.end();
    await clock.advance(50);
    assert.equal((await failed).message, 'timed out');
  });

  it('starts no real timers for a request and its response', async () => {
    const clock = new ManualClock();
    const running = await startServer(echo, clock);
    const agent = httpAgent(network, clock, { keepAlive: true });
    const timers: string[] = [];
    const hook = createHook({
      init(_id, type) {
        if (type === 'Timeout' || type === 'Immediate') timers.push(new Error(type).stack ?? type);
      },
    });
    hook.enable();
    try {
      await send(agent, running.port, { method: 'POST', body: 'x'.repeat(1000) });
      await send(agent, running.port);
    } finally {
      hook.disable();
    }
    assert.deepEqual(timers, []);
    agent.destroy();
    await running.serving.close();
  });
});
