// Unmodified clients can use machine names in hermetic mode: dns.lookup, net.connect({ host }),
// node:http through httpAgent and undici's own connector resolve them through the simulated
// topology; `localhost` is the calling machine.
import assert from 'node:assert/strict';
import dns from 'node:dns';
import { lookup } from 'node:dns/promises';
import { once } from 'node:events';
import { createServer, get } from 'node:http';
import { connect, type Socket } from 'node:net';
import { before, describe, it } from 'node:test';
import { Client } from 'undici';
import { SimulationBuilder } from '../../src/builder/builder.js';
import { NetworkConfiguration } from '../../src/config/network-configuration.js';
import type { Process, SimContext } from '../../src/engine/context.js';
import { httpAgent, serveHttp } from '../../src/index.js';
import { warmUpUndici } from '../support/undici-warm-up.js';

/** Echoes each connection's bytes back, on port 7000. */
function echo(name: string): Process {
  return {
    name,
    async run(ctx) {
      const listener = await ctx.network.bind(`${ctx.myIp}:7000`);
      for (;;) {
        const [stream] = await listener.accept();
        ctx.task.spawn('echo', async () => {
          for (let data = await stream.read(); data !== null; data = await stream.read()) await stream.writeAll(data);
          await stream.close();
        });
      }
    },
  };
}

function web(): Process {
  return {
    name: 'web',
    async run(ctx) {
      const server = createServer((req, res) => res.end(`hello from ${ctx.myIp} for ${req.url}`));
      serveHttp(server, await ctx.network.bind(`${ctx.myIp}:8080`), ctx.time);
      await ctx.time.sleep(1e9);
    },
  };
}

async function simulate(processes: Process[], run: (ctx: SimContext) => Promise<void>): Promise<void> {
  let b = new SimulationBuilder().setNetworkConfiguration(NetworkConfiguration.fastLocal());
  for (const p of processes) b = b.processes(1, () => p);
  const report = await b.workload({ name: 'client', run }).run();
  assert.equal(report.failedRuns, 0, report.runs[0]?.error);
}

async function roundTrip(socket: Socket, text: string): Promise<string> {
  await once(socket, 'connect');
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
  socket.end(text);
  await once(socket, 'end');
  return received;
}

describe('hermetic mode: machine names', () => {
  before(warmUpUndici);

  it('dns.lookup resolves machine names and localhost; an unknown name is ENOTFOUND', async () => {
    const seen: unknown[] = [];
    await simulate([echo('db'), echo('db'), echo('cache')], async (ctx) => {
      seen.push(await lookup('cache'));
      seen.push(await lookup('db', { all: true }));
      seen.push(await lookup('localhost'));
      seen.push(await lookup('10.9.9.9'));
      seen.push(await new Promise((resolve) => dns.lookup('db', (err, address) => resolve([err, address]))));
      seen.push(await lookup('nowhere').catch((err: NodeJS.ErrnoException) => `${err.code} ${err.message}`));
      seen.push(ctx.myIp);
    });
    assert.deepEqual(seen, [
      { address: '10.0.1.3', family: 4 },
      [
        { address: '10.0.1.1', family: 4 },
        { address: '10.0.1.2', family: 4 },
      ],
      { address: '10.0.0.1', family: 4 },
      { address: '10.9.9.9', family: 4 },
      [null, '10.0.1.1'],
      'ENOTFOUND getaddrinfo ENOTFOUND nowhere',
      '10.0.0.1',
    ]);
  });

  it('net.connect reaches a machine by name, and localhost is the calling machine', async () => {
    const answers: string[] = [];
    await simulate([echo('echo')], async (ctx) => {
      answers.push(await roundTrip(connect({ host: 'echo', port: 7000 }), 'by name'));
      answers.push(await roundTrip(connect(7000, '10.0.1.1'), 'by address'));
      const mine = await ctx.network.bind(`${ctx.myIp}:7100`);
      ctx.task.spawn('own echo', async () => {
        const [stream] = await mine.accept();
        await stream.writeAll(new TextEncoder().encode('local '));
        for (let data = await stream.read(); data !== null; data = await stream.read()) await stream.writeAll(data);
        await stream.close();
      });
      answers.push(await roundTrip(connect(7100, 'localhost'), 'to myself'));
      const unknown = connect({ host: 'nowhere', port: 1 });
      const [err] = (await once(unknown, 'error')) as [NodeJS.ErrnoException];
      answers.push(String(err.code));
    });
    assert.deepEqual(answers, ['by name', 'by address', 'local to myself', 'ENOTFOUND']);
  });

  it('node:http (httpAgent) and undici (its own connector) take machine names', async () => {
    const bodies: string[] = [];
    await simulate([web()], async (ctx) => {
      const agent = httpAgent(ctx.network, ctx.time);
      bodies.push(
        await new Promise<string>((resolve, reject) => {
          get({ host: 'web', port: 8080, path: '/node-http', agent }, (res) => {
            let text = '';
            res.on('data', (chunk: Buffer) => (text += chunk.toString()));
            res.on('end', () => resolve(text));
          }).on('error', reject);
        }),
      );
      agent.destroy();
      const client = new Client('http://web:8080');
      const res = await client.request({ path: '/undici', method: 'GET' });
      bodies.push(await res.body.text());
      await client.close();
    });
    assert.deepEqual(bodies, ['hello from 10.0.1.1 for /node-http', 'hello from 10.0.1.1 for /undici']);
  });
});
