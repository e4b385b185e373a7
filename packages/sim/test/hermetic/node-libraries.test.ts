// Unmodified Node libraries in hermetic mode: undici's timeouts fire on simulated time, and
// http.createServer stamps the simulated clock into the `Date` header.
import assert from 'node:assert/strict';
import { createServer, get, type Server } from 'node:http';
import { before, describe, it } from 'node:test';
import { Client, errors } from 'undici';
import { SimulationBuilder } from '../../src/builder/builder.js';
import { NetworkConfiguration } from '../../src/config/network-configuration.js';
import type { SimContext } from '../../src/engine/context.js';
import { SIM_EPOCH_MS } from '../../src/hermetic/sim-clock.js';
import { httpAgent, serveHttp } from '../../src/index.js';
import { StreamSocket } from '../../src/node-compat/stream-socket.js';
import { warmUpUndici } from '../support/undici-warm-up.js';

const SERVER = '10.0.1.1';

/** A process running unmodified `http.createServer`, fed by the simulated network. */
function httpProcess(handler: Parameters<typeof createServer>[1]) {
  return {
    name: 'http',
    async run(ctx: SimContext) {
      const server: Server = createServer(handler);
      serveHttp(server, await ctx.network.bind(`${ctx.myIp}:8080`), ctx.time);
      await ctx.time.sleep(1e9);
    },
  };
}

describe('hermetic mode: unmodified libraries', () => {
  before(warmUpUndici);

  it("undici's headersTimeout fires in simulated time", async () => {
    const outcomes: string[] = [];
    const report = await new SimulationBuilder()
      .setNetworkConfiguration(NetworkConfiguration.fastLocal())
      .processes(1, () => httpProcess(() => {})) // never answers
      .workload({
        name: 'client',
        async run(ctx) {
          const client = new Client(`http://${SERVER}:8080`, {
            headersTimeout: 2000,
            connect: (_options, callback) => {
              const socket = new StreamSocket(ctx.network.connect(`${SERVER}:8080`), { time: ctx.time });
              socket.once('connect', () => callback(null, socket as never));
              socket.once('error', (err) => callback(err, null));
              return socket as never;
            },
          });
          const t0 = ctx.time.now();
          try {
            await client.request({ path: '/', method: 'GET' });
            outcomes.push('answered');
          } catch (err) {
            const elapsed = ctx.time.now() - t0;
            outcomes.push(`${(err as Error).constructor.name} ${elapsed >= 2000 && elapsed < 3100}`);
            assert.ok(err instanceof errors.HeadersTimeoutError);
          }
          await client.destroy();
        },
      })
      .setDebugSeeds([1, 2, 1])
      .run();
    assert.equal(report.failedRuns, 0, report.runs.find((r) => !r.ok)?.error);
    assert.deepEqual(outcomes, Array(3).fill('HeadersTimeoutError true'));
    assert.equal(report.runs[0]?.traceHash, report.runs[2]?.traceHash);
  });

  it("http.createServer's Date header shows simulated time", async () => {
    const headers: { date: string; at: number }[] = [];
    const report = await new SimulationBuilder()
      .setNetworkConfiguration(NetworkConfiguration.fastLocal())
      .processes(1, () => httpProcess((_req, res) => res.end('hello')))
      .workload({
        name: 'client',
        async run(ctx) {
          await ctx.time.sleep(3 * 3_600_000);
          const agent = httpAgent(ctx.network, ctx.time);
          const date = await new Promise<string>((resolve, reject) => {
            get({ host: SERVER, port: 8080, path: '/', agent }, (res) => {
              res.resume();
              resolve(res.headers.date ?? '(none)');
            }).on('error', reject);
          });
          headers.push({ date, at: ctx.time.now() });
          agent.destroy();
        },
      })
      .setIterations(2)
      .run();
    assert.equal(report.failedRuns, 0, report.runs.find((r) => !r.ok)?.error);
    for (const { date, at } of headers) {
      const stamped = Date.parse(date);
      assert.ok(Math.abs(stamped - (SIM_EPOCH_MS + at)) < 2000, `${date} is not simulated time ${at} ms`);
      assert.match(date, /^Wed, 01 Jan 2020 03:00:0\d GMT$/);
    }
  });
});
