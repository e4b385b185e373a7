// destroy() on a simulated socket ends the connection as a kernel closing the descriptor would: a FIN
// when nothing is left unread (also before end(), also with an error), a reset otherwise.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { IoError, type Stream } from '@moonpool/core';
import { SimulationBuilder } from '../../src/builder/builder.js';
import { NetworkConfiguration } from '../../src/config/network-configuration.js';
import { StreamSocket } from '../../src/node-compat/stream-socket.js';
import type { SimContext } from '../../src/engine/context.js';

/** What the server's raw stream sees after the client's socket is destroyed by `destroyIt`. */
async function peerSees(destroyIt: (socket: StreamSocket, ctx: SimContext) => Promise<void>): Promise<string> {
  let seen = '';
  const report = await new SimulationBuilder()
    .setNetworkConfiguration(NetworkConfiguration.fastLocal())
    .processes(1, () => ({
      name: 'server',
      async run(ctx) {
        const listener = await ctx.network.bind(`${ctx.myIp}:7000`);
        const [stream]: [Stream, string] = await listener.accept();
        await stream.writeAll(new TextEncoder().encode('unsolicited'));
        try {
          for (let data = await stream.read(); data !== null; data = await stream.read()) seen += 'data ';
          seen += 'FIN';
        } catch (err) {
          seen += err instanceof IoError ? err.code : String(err);
        }
        await ctx.time.sleep(1e9);
      },
    }))
    .workload({
      name: 'client',
      async run(ctx) {
        const socket = new StreamSocket(ctx.network.connect('10.0.1.1:7000'), { time: ctx.time });
        await once(socket, 'connect');
        await destroyIt(socket, ctx);
        await ctx.time.sleep(100);
      },
    })
    .run();
  assert.equal(report.failedRuns, 0, report.runs[0]?.error);
  return seen;
}

describe('StreamSocket.destroy in the simulator', () => {
  it('with everything read (before end()), the peer reads a FIN', async () => {
    const seen = await peerSees(async (socket, ctx) => {
      socket.resume();
      await ctx.time.sleep(10);
      socket.destroy();
    });
    assert.equal(seen, 'FIN');
  });

  it('with an error but nothing unread, still a FIN', async () => {
    const seen = await peerSees(async (socket, ctx) => {
      socket.on('error', () => {});
      socket.resume();
      await ctx.time.sleep(10);
      socket.destroy(new Error('local failure'));
    });
    assert.equal(seen, 'FIN');
  });

  it('with data left unread, a reset', async () => {
    const seen = await peerSees(async (socket, ctx) => {
      await ctx.time.sleep(10);
      await once(socket, 'readable');
      assert.ok(socket.readableLength > 0);
      socket.destroy();
    });
    assert.equal(seen, 'ECONNRESET');
  });

  it('resetAndDestroy() resets', async () => {
    const seen = await peerSees(async (socket, ctx) => {
      socket.resume();
      await ctx.time.sleep(10);
      socket.resetAndDestroy();
    });
    assert.equal(seen, 'ECONNRESET');
  });
});
