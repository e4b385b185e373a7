// What the peers of a rebooted process see on their connections (through the SimulationBuilder): a
// crash resets them, a graceful reboot drains them, and a stopped process's connections are closed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IoError, Stream } from '@moonpool/core';
import { SimulationBuilder } from '../../src/builder/builder.js';
import type { SimContext } from '../../src/engine/context.js';
import { FAULT_LOG } from '../../src/chaos/fault-events.js';
import { bytes, text } from '../support/bytes.js';
import {
  inRange,
  measurable,
  PORT,
  readExactly,
  readToEnd,
  rejectsIo,
  runBuilder,
} from '../support/network-fault-helpers.js';

/** Serves `hello` on every connection; on graceful shutdown says `bye` and exits. */
function helloServer(): { name: string; run(ctx: SimContext): Promise<void> } {
  return {
    name: 'hello',
    async run(ctx) {
      const listener = await ctx.network.bind(`${ctx.myIp}:${PORT}`);
      const conns: Stream[] = [];
      const accepting = (async () => {
        for (;;) {
          const [s] = await listener.accept();
          conns.push(s);
          await s.writeAll(bytes('hello'));
        }
      })();
      accepting.catch(() => {});
      await ctx.time.sleep(1e9, ctx.shutdown).catch(() => {});
      for (const s of conns) await s.writeAll(bytes('bye')).catch(() => {});
    },
  };
}

describe('network faults: process reboots (builder)', () => {
  it('a crash resets the crashed machine\'s connections for the peer; after restart it serves again', async () => {
    let checked = false;
    await runBuilder(
      new SimulationBuilder()
        .setNetworkConfiguration(measurable())
        .processes(1, helloServer)
        .workload({
          name: 'client',
          async run(ctx) {
            const ip = ctx.topology.processIps[0] as string;
            const s = await ctx.network.connect(`${ip}:${PORT}`);
            assert.equal(text(await readExactly(s, 5)), 'hello');
            const pending = s.read();
            const t0 = ctx.time.now();
            ctx.cluster.reboot(ip, 'Crash', { recoveryDelayMs: 100 });
            await rejectsIo(pending, 'ECONNRESET');
            inRange(ctx.time.now() - t0, 1, 2, 'reset latency (ms)');
            await ctx.time.sleep(150);
            const again = await ctx.network.connect(`${ip}:${PORT}`);
            assert.equal(text(await readExactly(again, 5)), 'hello');
            again.abort();
            const faults = ctx
              .eventLog<{ type: string }>(FAULT_LOG)
              .all()
              .map((e) => e.event.type)
              .filter((t) => t.startsWith('Process'));
            assert.deepEqual(faults, ['ProcessForceKill', 'ProcessRestart']);
            checked = true;
          },
        }),
    );
    assert.ok(checked);
  });

  it('a graceful reboot drains: the peer reads the data written at shutdown, then null', async () => {
    let checked = false;
    await runBuilder(
      new SimulationBuilder()
        .setNetworkConfiguration(measurable())
        .processes(1, helloServer)
        .workload({
          name: 'client',
          async run(ctx) {
            const ip = ctx.topology.processIps[0] as string;
            const s = await ctx.network.connect(`${ip}:${PORT}`);
            assert.equal(text(await readExactly(s, 5)), 'hello');
            ctx.cluster.reboot(ip, 'Graceful', { gracePeriodMs: 1000, recoveryDelayMs: 100 });
            assert.equal(text(await readToEnd(s)), 'bye');
            assert.equal(await s.read(), null);
            await s.close();
            checked = true;
          },
        }),
    );
    assert.ok(checked);
  });
});

describe('network faults: after a process stops', () => {
  it('a gracefully stopped process\'s connections are closed, not half-open: the peer\'s writes soon fail', async () => {
    const outcomes: string[] = [];
    await runBuilder(
      new SimulationBuilder()
        .setNetworkConfiguration(measurable())
        .processes(1, helloServer)
        .workload({
          name: 'client',
          async run(ctx) {
            const ip = ctx.topology.processIps[0] as string;
            const s = await ctx.network.connect(`${ip}:${PORT}`);
            assert.equal(text(await readExactly(s, 5)), 'hello');
            ctx.cluster.reboot(ip, 'Graceful', { gracePeriodMs: 1000, recoveryDelayMs: 100 });
            assert.equal(text(await readToEnd(s)), 'bye');
            for (let i = 0; i < 5; i++) {
              outcomes.push(await s.write(bytes('x')).then(() => 'ok', (err: unknown) => (err as IoError).code));
              await ctx.time.sleep(10);
            }
            s.abort();
          },
        }),
    );
    assert.ok(outcomes.slice(2).every((o) => o === 'ECONNRESET' || o === 'EPIPE'), `writes: ${outcomes.join(',')}`);
  });
});
