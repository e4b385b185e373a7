import assert from 'node:assert/strict';
import { request, type Agent } from 'node:http';
import { describe, it } from 'node:test';
import { NetworkConfiguration } from '../../src/config/network-configuration.js';
import { Executor } from '../../src/kernel/executor.js';
import { describeFailure } from '../../src/kernel/failure.js';
import { Machine } from '../../src/kernel/machine.js';
import { spawnTask } from '../../src/kernel/tasks.js';
import { SimWorld } from '../../src/kernel/world.js';
import { SimNetwork } from '../../src/network/sim-network.js';
import { createSimHttpServer, httpAgent, serveHttp } from '../../src/index.js';
import { SimProviders } from '../../src/providers/sim-providers.js';

function post(agent: Agent, path: string, body: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '10.0.1.1', port: 8080, method: 'POST', path, agent }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve(`${res.statusCode} ${text} reused=${req.reusedSocket}`));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Unmodified node:http on two simulated machines; returns what both sides saw, with simulated times. */
async function simulate(seed: bigint): Promise<{ log: string[]; trace: string; failure: string | null }> {
  const world = new SimWorld(seed);
  const net = new SimNetwork(world, NetworkConfiguration.fastLocal(), {
    onFault: () => {},
    buggify: () => false,
  });
  const machine = (ip: string): SimProviders => {
    const process = new Machine(ip, ip, 'process');
    world.addMachine(process);
    return new SimProviders(world, process, { network: net });
  };
  const server = machine('10.0.1.1');
  const client = machine('10.0.1.2');
  const driver = new Machine('10.0.9.9', 'driver', 'workload');
  world.addMachine(driver);
  const log: string[] = [];

  const main = spawnTask(world, driver, 'main', async () => {
    const http = createSimHttpServer((req, res) => {
      let size = 0;
      req.on('data', (chunk: Buffer) => (size += chunk.length));
      req.on('end', () => {
        log.push(`server ${server.time.now()} ${req.url} ${size} from ${req.socket.remoteAddress}`);
        res.end(`ok ${req.url}`);
      });
    });
    http.keepAliveTimeout = 2000; // advertised as timeout=2: the agent drops idle sockets after 1 s
    const serving = serveHttp(http, await server.network.bind('10.0.1.1:8080'), server.time);
    const agent = httpAgent(client.network, client.time, { keepAlive: true });
    for (const [path, pauseMs] of [['/a', 10], ['/b', 5000], ['/c', 0]] as const) {
      log.push(`client ${client.time.now()} ${await post(agent, path, 'x'.repeat(100_000))}`);
      await client.time.sleep(pauseMs);
    }
    agent.destroy();
    await serving.close();
  });
  const { failure } = await new Executor(world).run(main.join());
  return { log, trace: world.trace.hex(), failure: failure === null ? null : describeFailure(failure) };
}

describe('node:http in the simulator', () => {
  it('runs on simulated time, reusing and expiring keep-alive connections', async () => {
    const { log, failure } = await simulate(1n);
    assert.equal(failure, null);
    const [a, b, c] = log.filter((line) => line.startsWith('client'));
    assert.match(a ?? '', /200 ok \/a reused=false$/);
    assert.match(b ?? '', /200 ok \/b reused=true$/);
    assert.match(c ?? '', /^client 50\d\d\.\d+ 200 ok \/c reused=false$/, 'the idle socket expired during 5 s');
    assert.ok(log.some((line) => /^server .* \/a 100000 from 10\.0\.1\.2$/.test(line)));
  });

  it('is deterministic for a seed', async () => {
    const first = await simulate(42n);
    const second = await simulate(42n);
    assert.deepEqual(second, first);
  });
});
